from fastapi import FastAPI

from src.api import websocket

app = FastAPI()
app.include_router(websocket.router)
