"""Schema of data/module_map.toml: normalised keys, importable names, the entries users need."""

from __future__ import annotations

import keyword

import pytest
import stdlib_list
from packaging.utils import canonicalize_name

from flake8_reqs.data_files import load_data

DATA = load_data("module_map.toml")
DISTRIBUTIONS = DATA["distributions"]
SUPPORTED = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")


def _is_dotted_identifier(name: str) -> bool:
    return all(part.isidentifier() and not keyword.iskeyword(part) for part in name.split("."))


def _stdlib_top_level() -> frozenset[str]:
    return frozenset(
        name.partition(".")[0] for v in SUPPORTED for name in stdlib_list.stdlib_list(v)
    )


def test_file_has_the_distributions_and_preferred_tables():
    assert set(DATA) == {"distributions", "preferred"}


def test_every_shared_import_name_has_a_preferred_provider():
    providers: dict[str, set[str]] = {}
    for distribution, names in DISTRIBUTIONS.items():
        for name in names:
            providers.setdefault(name, set()).add(distribution)
    shared = {name for name, found in providers.items() if len(found) > 1}
    assert set(DATA["preferred"]) == shared
    for name, distribution in DATA["preferred"].items():
        assert distribution in providers[name], name


def test_has_at_least_300_distributions():
    assert len(DISTRIBUTIONS) >= 300


def test_keys_are_sorted_without_duplicates():
    keys = list(DISTRIBUTIONS)
    assert keys == sorted(set(keys))


@pytest.mark.parametrize("distribution", sorted(DISTRIBUTIONS))
def test_key_is_normalised(distribution):
    assert canonicalize_name(distribution) == distribution


@pytest.mark.parametrize("distribution", sorted(DISTRIBUTIONS))
def test_value_is_a_sorted_list_of_dotted_identifiers(distribution):
    names = DISTRIBUTIONS[distribution]
    assert isinstance(names, list)
    assert names
    assert all(isinstance(name, str) and _is_dotted_identifier(name) for name in names)
    assert names == sorted(set(names))


@pytest.mark.parametrize("distribution", sorted(DISTRIBUTIONS))
def test_no_type_stubs(distribution):
    """Stub-only distributions provide nothing importable at run time."""
    assert not distribution.startswith("types-")
    assert not distribution.endswith("-stubs")


def test_standard_library_names_only_from_listed_backports():
    """A distribution may provide a stdlib name only as a backport of a removed module."""
    backported = set(load_data("stdlib_backports.toml")["modules"])
    stdlib = _stdlib_top_level()
    shadowing = {
        (dist, name)
        for dist, names in DISTRIBUTIONS.items()
        for name in names
        if name.partition(".")[0] in stdlib and name.partition(".")[0] not in backported
    }
    assert shadowing == set()


MUST_HAVE = [
    pytest.param("pillow", ["PIL"], id="Pillow provides PIL"),
    pytest.param("pyyaml", ["yaml"], id="PyYAML provides yaml"),
    pytest.param("python-magic", ["magic"], id="python-magic provides magic"),
    pytest.param("filemagic", ["magic"], id="filemagic provides magic"),
    pytest.param("opencv-python", ["cv2"], id="opencv-python provides cv2"),
    pytest.param("opencv-python-headless", ["cv2"], id="opencv-python-headless provides cv2"),
    pytest.param("opencv-contrib-python", ["cv2"], id="opencv-contrib-python provides cv2"),
    pytest.param(
        "opencv-contrib-python-headless", ["cv2"], id="opencv-contrib-python-headless provides cv2"
    ),
    pytest.param("scikit-learn", ["sklearn"], id="scikit-learn provides sklearn"),
    pytest.param("scikit-image", ["skimage"], id="scikit-image provides skimage"),
    pytest.param("beautifulsoup4", ["bs4"], id="beautifulsoup4 provides bs4"),
    pytest.param("pyjwt", ["jwt"], id="PyJWT provides jwt"),
    pytest.param("python-dateutil", ["dateutil"], id="python-dateutil provides dateutil"),
    pytest.param("python-dotenv", ["dotenv"], id="python-dotenv provides dotenv"),
    pytest.param("protobuf", ["google.protobuf"], id="protobuf provides google.protobuf"),
    pytest.param(
        "google-cloud-storage", ["google.cloud.storage"], id="google-cloud-storage namespace"
    ),
    pytest.param("google-cloud-bigquery", ["google.cloud.bigquery"], id="google-cloud-bigquery"),
    pytest.param(
        "google-cloud-pubsub",
        ["google.cloud.pubsub", "google.cloud.pubsub_v1"],
        id="google-cloud-pubsub with its versioned package",
    ),
    pytest.param("google-cloud-firestore", ["google.cloud.firestore"], id="google-cloud-firestore"),
    pytest.param(
        "google-cloud-secret-manager",
        ["google.cloud.secretmanager"],
        id="google-cloud-secret-manager drops the dash",
    ),
    pytest.param("google-cloud-logging", ["google.cloud.logging"], id="google-cloud-logging"),
    pytest.param("google-cloud-tasks", ["google.cloud.tasks"], id="google-cloud-tasks"),
    pytest.param(
        "google-api-python-client", ["googleapiclient"], id="google-api-python-client provides"
    ),
    pytest.param("google-auth", ["google.auth", "google.oauth2"], id="google-auth provides two"),
    pytest.param("attrs", ["attr", "attrs"], id="attrs provides attr and attrs"),
    pytest.param("psycopg2-binary", ["psycopg2"], id="psycopg2-binary provides psycopg2"),
    pytest.param("psycopg-binary", ["psycopg_binary"], id="psycopg-binary provides its own name"),
    pytest.param("mysqlclient", ["MySQLdb"], id="mysqlclient provides MySQLdb"),
    pytest.param("pymysql", ["pymysql"], id="PyMySQL provides pymysql"),
    pytest.param(
        "pywin32",
        ["pythoncom", "pywintypes", "win32api", "win32com", "win32con"],
        id="pywin32 provides the win32 modules",
    ),
    pytest.param("azure-storage-blob", ["azure.storage.blob"], id="azure-storage-blob namespace"),
    pytest.param("azure-identity", ["azure.identity"], id="azure-identity namespace"),
    pytest.param("azure-core", ["azure.core"], id="azure-core namespace"),
    pytest.param(
        "azure-keyvault-secrets", ["azure.keyvault.secrets"], id="azure-keyvault-secrets namespace"
    ),
    pytest.param(
        "azure-storage-file-share", ["azure.storage.fileshare"], id="azure file share joins words"
    ),
    pytest.param("zope-interface", ["zope.interface"], id="zope.interface namespace"),
    pytest.param("jaraco-functools", ["jaraco.functools"], id="jaraco.functools namespace"),
    pytest.param("python-jose", ["jose"], id="python-jose provides jose"),
    pytest.param(
        "python-multipart", ["multipart", "python_multipart"], id="python-multipart both names"
    ),
    pytest.param("pyserial", ["serial"], id="pyserial provides serial"),
    pytest.param("pyusb", ["usb"], id="pyusb provides usb"),
    pytest.param("pycryptodome", ["Crypto"], id="pycryptodome provides Crypto"),
    pytest.param("pycryptodomex", ["Cryptodome"], id="pycryptodomex provides Cryptodome"),
    pytest.param("pyopenssl", ["OpenSSL"], id="pyOpenSSL provides OpenSSL"),
    pytest.param("pynacl", ["nacl"], id="PyNaCl provides nacl"),
    pytest.param("python-ldap", ["ldap"], id="python-ldap provides ldap"),
    pytest.param("dnspython", ["dns"], id="dnspython provides dns"),
    pytest.param("gitpython", ["git"], id="GitPython provides git"),
    pytest.param("pygobject", ["gi"], id="PyGObject provides gi"),
    pytest.param("dbus-python", ["dbus"], id="dbus-python provides dbus"),
    pytest.param("pycairo", ["cairo"], id="pycairo provides cairo"),
    pytest.param("pyzmq", ["zmq"], id="pyzmq provides zmq"),
    pytest.param("msgpack-python", ["msgpack"], id="msgpack-python provides msgpack"),
    pytest.param("python-snappy", ["snappy"], id="python-snappy provides snappy"),
    pytest.param("python-levenshtein", ["Levenshtein"], id="python-Levenshtein provides"),
    pytest.param("faiss-cpu", ["faiss"], id="faiss-cpu provides faiss"),
    pytest.param("tensorflow-cpu", ["tensorflow"], id="tensorflow-cpu provides tensorflow"),
    pytest.param("pymongo", ["bson", "gridfs", "pymongo"], id="pymongo provides bson and gridfs"),
    pytest.param("elasticsearch-dsl", ["elasticsearch_dsl"], id="elasticsearch-dsl provides"),
    pytest.param("flask-sqlalchemy", ["flask_sqlalchemy"], id="Flask-SQLAlchemy provides"),
    pytest.param("djangorestframework", ["rest_framework"], id="djangorestframework provides"),
    pytest.param("django-cors-headers", ["corsheaders"], id="django-cors-headers provides"),
    pytest.param("django-filter", ["django_filters"], id="django-filter provides plural"),
    pytest.param("django-environ", ["environ"], id="django-environ provides environ"),
    pytest.param("django-storages", ["storages"], id="django-storages provides storages"),
    pytest.param("django-extensions", ["django_extensions"], id="django-extensions provides"),
    pytest.param("django-debug-toolbar", ["debug_toolbar"], id="django-debug-toolbar provides"),
    pytest.param("django-redis", ["django_redis"], id="django-redis provides"),
    pytest.param("django-celery-beat", ["django_celery_beat"], id="django-celery-beat provides"),
    pytest.param(
        "setuptools",
        ["_distutils_hack", "distutils", "pkg_resources", "setuptools"],
        id="setuptools covers distutils",
    ),
    pytest.param("typing-extensions", ["typing_extensions"], id="typing-extensions provides"),
    pytest.param("importlib-metadata", ["importlib_metadata"], id="importlib-metadata provides"),
    pytest.param("ruamel-yaml", ["ruamel.yaml"], id="ruamel.yaml namespace"),
    pytest.param("websocket-client", ["websocket"], id="websocket-client provides websocket"),
    pytest.param("python-socketio", ["socketio"], id="python-socketio provides socketio"),
    pytest.param("python-engineio", ["engineio"], id="python-engineio provides engineio"),
    pytest.param("paho-mqtt", ["paho.mqtt"], id="paho-mqtt provides paho.mqtt"),
    pytest.param("python-telegram-bot", ["telegram"], id="python-telegram-bot provides"),
    pytest.param("discord-py", ["discord"], id="discord.py provides discord"),
    pytest.param("speechrecognition", ["speech_recognition"], id="SpeechRecognition provides"),
    pytest.param("backports-zoneinfo", ["backports.zoneinfo"], id="backports.zoneinfo"),
    pytest.param("legacy-cgi", ["cgi", "cgitb"], id="legacy-cgi provides cgi and cgitb"),
    pytest.param("standard-imghdr", ["imghdr"], id="standard-imghdr provides imghdr"),
    pytest.param("standard-telnetlib", ["telnetlib"], id="standard-telnetlib provides"),
    pytest.param("pyasynchat", ["asynchat"], id="pyasynchat provides asynchat"),
    pytest.param("pyasyncore", ["asyncore"], id="pyasyncore provides asyncore"),
    pytest.param("zombie-imp", ["imp"], id="zombie-imp provides imp"),
    pytest.param("pyqt5", ["PyQt5"], id="PyQt5 keeps its case"),
    pytest.param("pyside6", ["PySide6"], id="PySide6 keeps its case"),
    pytest.param("wxpython", ["wx"], id="wxPython provides wx"),
    pytest.param("pdfminer-six", ["pdfminer"], id="pdfminer.six provides pdfminer"),
    pytest.param("pymupdf", ["fitz", "pymupdf"], id="PyMuPDF provides fitz and pymupdf"),
    pytest.param("pypdf2", ["PyPDF2"], id="PyPDF2 keeps its case"),
    pytest.param("python-docx", ["docx"], id="python-docx provides docx"),
    pytest.param("python-pptx", ["pptx"], id="python-pptx provides pptx"),
    pytest.param("python-slugify", ["slugify"], id="python-slugify provides slugify"),
    pytest.param("unidecode", ["unidecode"], id="Unidecode provides unidecode"),
    pytest.param("pyinstaller", ["PyInstaller"], id="pyinstaller provides PyInstaller"),
    pytest.param("pywavelets", ["pywt"], id="PyWavelets provides pywt"),
    pytest.param("pytest-django", ["pytest_django"], id="pytest-django provides"),
    pytest.param("pytest-asyncio", ["pytest_asyncio"], id="pytest-asyncio provides"),
    pytest.param("pytest-cov", ["pytest_cov"], id="pytest-cov provides"),
    pytest.param("pytest-mock", ["pytest_mock"], id="pytest-mock provides"),
    pytest.param("pytest-xdist", ["xdist"], id="pytest-xdist provides xdist"),
    pytest.param("sentry-sdk", ["sentry_sdk"], id="sentry-sdk provides sentry_sdk"),
]


@pytest.mark.parametrize(("distribution", "expected"), MUST_HAVE)
def test_must_have_entry(distribution, expected):
    assert set(expected) <= set(DISTRIBUTIONS[distribution])
