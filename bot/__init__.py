"""Đôn Đốc: a Telegram bot that tracks a People's Committee's plan for controlling
administrative procedures."""

__version__ = "0.1.0"
