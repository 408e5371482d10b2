"""Tools that run the whole assistant without being tests: the stack on loopback, the chat benchmark."""
