"""FastAPI gateway: channels (web widget, Zalo OA, Messenger), operator console, public REST."""
