from fastapi import APIRouter, WebSocket

from src.utils.auth import verify_token

router = APIRouter()


@router.websocket("/ws")
async def upload(socket: WebSocket) -> None:
    await socket.accept()
    verify_token(socket.query_params.get("token", ""))
