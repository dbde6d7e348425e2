"""Tests of the fake Bot API itself, driven by a tiny real PTB Application."""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, InvalidToken
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.fakebot import Call, FakeBotAPI, UploadedFile, running_app

AnyApp = Application[Any, Any, Any, Any, Any, Any]


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A valid RGB PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PNG = tiny_png()
CSV = "mã,tên\n1,Hộ tịch\n".encode()
VI_COMMANDS = [BotCommand("start", "Bắt đầu"), BotCommand("menu", "Danh mục")]
EN_COMMANDS = [BotCommand("start", "Start"), BotCommand("menu", "Menu")]


# --------------------------------------------------------------------------------------------
# The tiny application under test
# --------------------------------------------------------------------------------------------


async def post_init(app: AnyApp) -> None:
    await app.bot.set_my_commands(VI_COMMANDS, language_code="vi")
    await app.bot.set_my_commands(EN_COMMANDS, language_code="en")
    await app.bot.set_my_commands(VI_COMMANDS[:1], scope=BotCommandScopeAllPrivateChats())


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message and update.message.text
    await update.message.reply_text(update.message.text)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message
    await update.message.reply_text("start:" + ",".join(context.args or []))


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Một", callback_data="one"),
                InlineKeyboardButton("Hai", callback_data="two"),
            ],
            [InlineKeyboardButton("Trang web", url="https://example.org")],
        ]
    )
    await update.message.reply_text("Chọn một mục:", reply_markup=keyboard)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query
    await query.answer(f"OK {query.data}")
    await query.edit_message_text(f"Đã chọn: {query.data}")


async def files(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message
    await update.message.reply_photo(PNG, caption="<b>Biểu đồ</b> tuần", parse_mode=ParseMode.HTML)
    await update.message.reply_document(CSV, filename="bao_cao.csv")


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message and update.message.photo
    photo_file = await context.bot.get_file(update.message.photo[-1].file_id)
    data = await photo_file.download_as_bytearray()
    await update.message.reply_text(f"Ảnh {len(data)} bytes")


async def on_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.edited_message
    await update.edited_message.reply_text(f"Đã sửa: {update.edited_message.text}")


async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raise RuntimeError("boom")


async def greet_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    assert change
    if change.chat.type != "private" and change.new_chat_member.status == "member":
        await context.bot.send_message(change.chat.id, f"Xin chào nhóm {change.chat.title}!")


def build_app(fake: FakeBotAPI, token: str | None = None) -> AnyApp:
    req = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(fake.handle)})
    app = (
        ApplicationBuilder()
        .token(token or fake.token)
        .request(req)
        .get_updates_request(fake.make_request())
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(8)
        .post_init(post_init)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CommandHandler("files", files))
    app.add_handler(CommandHandler("boom", boom))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(ChatMemberHandler(greet_group, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, on_edit))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.PHOTO, on_photo))
    app.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, echo)
    )
    return app


@pytest_asyncio.fixture
async def env() -> AsyncIterator[tuple[FakeBotAPI, AnyApp]]:
    fake = FakeBotAPI()
    app = build_app(fake)
    async with running_app(app, fake):
        yield fake, app


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in messages]


# --------------------------------------------------------------------------------------------
# Conversations
# --------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_echo_in_private_chat(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, _ = env
    user = fake.add_user(first_name="Lan", username="lan_ubnd")
    chat = fake.private_chat(user)

    mark = fake.mark()
    update = fake.send_text(user, chat, "Xin chào 👋 bot")
    [call] = await fake.wait_for("sendMessage", since=mark)

    assert call.params["chat_id"] == user["id"]
    assert call.params["text"] == "Xin chào 👋 bot"
    assert texts(fake.messages_in(chat)) == ["Xin chào 👋 bot", "Xin chào 👋 bot"]
    reply = fake.last_bot_message(chat)
    assert reply["from"]["username"] == "dondoc_test_bot"
    assert reply["message_id"] == update["message"]["message_id"] + 1


@pytest.mark.asyncio
async def test_start_deep_link_and_group_command(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, _ = env
    user = fake.add_user()
    chat = fake.private_chat(user)
    update = fake.send_text(user, chat, "/start HS-2024")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    await fake.wait_for(chat_id=chat)
    assert fake.last_bot_message(chat)["text"] == "start:HS-2024"

    group = fake.add_group("UBND xã")
    fake.add_bot_to_group(user, group)
    fake.send_text(user, group, "/start@dondoc_test_bot X Y")
    await fake.wait_for(chat_id=group, count=2)  # greeting + reply
    assert texts(fake.bot_messages(group)) == ["Xin chào nhóm UBND xã!", "start:X,Y"]


@pytest.mark.asyncio
async def test_commands_are_stored_per_scope_and_language(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, app = env
    expected_vi = [{"command": "start", "description": "Bắt đầu"}]
    expected_vi.append({"command": "menu", "description": "Danh mục"})
    assert fake.commands(language_code="vi") == expected_vi
    assert [c["description"] for c in fake.commands(language_code="en")] == ["Start", "Menu"]
    assert fake.commands() == []
    assert fake.commands("all_private_chats") == expected_vi[:1]

    fetched = await app.bot.get_my_commands(language_code="en")
    assert [(c.command, c.description) for c in fetched] == [("start", "Start"), ("menu", "Menu")]
    await app.bot.delete_my_commands(language_code="en")
    assert fake.commands(language_code="en") == []
    assert [c.method for c in fake.calls_of("setMyCommands")] == ["setMyCommands"] * 3


@pytest.mark.asyncio
async def test_inline_keyboard_and_callback_query(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, _ = env
    user = fake.add_user()
    chat = fake.private_chat(user)
    fake.send_text(user, chat, "/menu")
    [call] = await fake.wait_for(chat_id=chat)
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "one"

    menu_message = fake.last_bot_message(chat)
    assert fake.buttons(menu_message) == [
        [("Một", "one"), ("Hai", "two")],
        [("Trang web", None)],
    ]
    with pytest.raises(AssertionError, match="no button"):
        fake.press(user, menu_message, "three")

    mark = fake.mark()
    pressed = fake.press(user, menu_message, text="Hai")
    await fake.wait_for("editMessageText", since=mark)
    [answer] = fake.calls_of("answerCallbackQuery", since=mark)

    assert answer.params["callback_query_id"] == pressed["callback_query"]["id"]
    assert fake.callback_answer(pressed) == {"text": "OK two"}
    edited = fake.message(chat, menu_message["message_id"])
    assert edited["text"] == "Đã chọn: two"
    assert "edit_date" in edited
    assert fake.buttons(edited) == []  # editing without reply_markup drops the keyboard


@pytest.mark.asyncio
async def test_photo_and_document_uploads_are_decoded(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, _ = env
    user = fake.add_user()
    chat = fake.private_chat(user)
    mark = fake.mark()
    fake.send_text(user, chat, "/files")
    await fake.wait_for("sendDocument", since=mark)
    [photo_call] = fake.calls_of("sendPhoto", since=mark)
    [doc_call] = fake.calls_of("sendDocument", since=mark)

    photo = photo_call.params["photo"]
    assert isinstance(photo, UploadedFile)
    assert photo.content == PNG
    assert photo_call.params["caption"] == "<b>Biểu đồ</b> tuần"
    assert doc_call.params["document"] == UploadedFile("bao_cao.csv", CSV, "text/csv")

    photo_message, doc_message = fake.bot_messages(chat)
    assert photo_message["caption"] == "Biểu đồ tuần"
    assert photo_message["caption_entities"] == [{"type": "bold", "offset": 0, "length": 7}]
    assert (photo_message["photo"][-1]["width"], photo_message["photo"][-1]["height"]) == (3, 2)
    assert doc_message["document"]["file_name"] == "bao_cao.csv"
    assert fake.file_bytes(doc_message["document"]["file_id"]) == CSV


@pytest.mark.asyncio
async def test_user_photo_can_be_downloaded_by_the_bot(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, _ = env
    user = fake.add_user()
    chat = fake.private_chat(user)
    fake.send_photo(user, chat, caption="hồ sơ", content=PNG)
    await fake.wait_for(chat_id=chat)
    assert fake.calls_of("getFile")[0].result["file_path"].startswith("photos/")
    assert fake.last_bot_message(chat)["text"] == f"Ảnh {len(PNG)} bytes"


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter
async def test_retry_after_is_retried_by_the_rate_limiter(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, _ = env
    user = fake.add_user()
    chat = fake.private_chat(user)
    fake.fail_next("sendMessage", retry_after=1)

    mark = fake.mark()
    fake.send_text(user, chat, "thử lại")
    await fake.wait_for("sendMessage", since=mark)

    attempts = fake.calls_of("sendMessage", since=mark, include_failed=True)
    assert [c.error_code for c in attempts] == [429, None]
    assert attempts[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert texts(fake.bot_messages(chat)) == ["thử lại"]


@pytest.mark.asyncio
async def test_edited_message_is_delivered(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, _ = env
    user = fake.add_user()
    chat = fake.private_chat(user)
    sent = fake.send_text(user, chat, "bản nháp")
    await fake.wait_for(chat_id=chat)

    mark = fake.mark()
    update = fake.edit_text(user, chat, sent["message"]["message_id"], "bản cuối")
    [call] = await fake.wait_for(since=mark)

    assert update["edited_message"]["text"] == "bản cuối"
    assert call.params["text"] == "Đã sửa: bản cuối"
    assert fake.messages_in(chat)[0]["text"] == "bản cuối"


@pytest.mark.asyncio
async def test_group_membership_and_privacy_mode(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, app = env
    admin = fake.add_user(first_name="Chủ tịch")
    group = fake.add_group("Tổ công tác", creator=admin)

    not_member = fake.send_text(admin, group, "/start sớm quá")
    assert (not_member, "the bot is not a member") == (
        fake.undelivered[-1][0],
        fake.undelivered[-1][1][:23],
    )

    update = fake.add_bot_to_group(admin, group)
    assert update["my_chat_member"]["new_chat_member"]["status"] == "member"
    await fake.wait_for(chat_id=group)
    assert fake.last_bot_message(group)["text"] == "Xin chào nhóm Tổ công tác!"
    assert "new_chat_members" in fake.messages_in(group)[-2]

    fake.send_text(admin, group, "chỉ là trò chuyện")
    assert fake.undelivered[-1][1].startswith("privacy mode")
    mark = fake.mark()
    fake.send_text(admin, group, "@dondoc_test_bot nhắc việc")
    await fake.wait_for(chat_id=group, since=mark)

    member = await app.bot.get_chat_member(group["id"], admin["id"])
    assert member.status == "creator"
    admins = await app.bot.get_chat_administrators(group["id"])
    assert [a.user.id for a in admins] == [admin["id"]]
    info = await app.bot.get_chat(group["id"])
    assert info.title == "Tổ công tác"

    fake.remove_bot_from_group(admin, group)
    with pytest.raises(Forbidden, match="not a member"):
        await app.bot.send_message(group["id"], "còn đó không?")


@pytest.mark.asyncio
async def test_bot_side_errors(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, app = env
    user = fake.add_user()
    chat = fake.private_chat(user)

    with pytest.raises(EndPointNotFound):
        await app.bot.do_api_request("fooBar", api_kwargs={"x": 1})
    assert fake.calls[-1].method == "fooBar"
    assert fake.calls[-1].response == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    with pytest.raises(BadRequest, match="Chat not found"):
        await app.bot.send_message(-42, "ai đó?")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await app.bot.send_message(chat["id"], "<b>mở mà không đóng", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="reserved"):
        await app.bot.send_message(chat["id"], "Phí 1.000đ", parse_mode=ParseMode.MARKDOWN_V2)

    fake.fail_next("sendMessage", error_code=403)
    with pytest.raises(Forbidden, match="blocked"):
        await app.bot.send_message(chat["id"], "lỗi giả")
    sent = await app.bot.send_message(chat["id"], "*đậm* \\.", parse_mode=ParseMode.MARKDOWN_V2)
    assert sent.text == "đậm ."
    assert texts(fake.bot_messages(chat)) == ["đậm ."]


@pytest.mark.asyncio
async def test_explicit_entities_are_kept_and_checked(env: tuple[FakeBotAPI, AnyApp]) -> None:
    from telegram import MessageEntity

    fake, app = env
    chat = fake.private_chat(fake.add_user())
    text = "📋 Chú ý: rút 5/10"  # the emoji is two UTF-16 code units
    bold = MessageEntity(MessageEntity.BOLD, 10, 8)
    sent = await app.bot.send_message(chat["id"], text, entities=[bold])
    assert sent.entities == (bold,)
    assert sent.parse_entity(bold) == "rút 5/10"
    with pytest.raises(BadRequest, match="out of the text"):
        await app.bot.send_message(chat["id"], text, entities=[MessageEntity("bold", 10, 9)])


@pytest.mark.asyncio
async def test_media_group_resolves_attachments(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, app = env
    user = fake.add_user()
    chat = fake.private_chat(user)
    messages = await app.bot.send_media_group(
        chat["id"], [InputMediaPhoto(PNG, caption="một"), InputMediaPhoto(tiny_png(5, 4))]
    )
    assert len({m.media_group_id for m in messages}) == 1
    assert messages[1].photo[-1].width == 5
    [call] = fake.calls_of("sendMediaGroup")
    assert [item["media"].content for item in call.params["media"]] == [PNG, tiny_png(5, 4)]
    assert set(call.params) == {"chat_id", "media"}


@pytest.mark.asyncio
async def test_wait_for_reports_what_happened_on_timeout(env: tuple[FakeBotAPI, AnyApp]) -> None:
    fake, _ = env
    user = fake.add_user()
    fake.send_text(user, fake.private_chat(user), "chào")
    await fake.wait_for()
    with pytest.raises(AssertionError, match=r"(?s)timed out.*sendMessage.*chào"):
        await fake.wait_for("sendPhoto", timeout=0.05)


def test_clock_is_injectable() -> None:
    fixed = datetime(2025, 3, 8, 7, 30, tzinfo=UTC)
    fake = FakeBotAPI(clock=lambda: fixed)
    user = fake.add_user()
    update = fake.send_text(user, fake.private_chat(user), "/start")
    assert update["message"]["date"] == int(fixed.timestamp())
    assert update["update_id"] == 1
    assert fake.pending_updates == [update]


# --------------------------------------------------------------------------------------------
# Lifecycle
# --------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_invalid_token_fails_on_initialize() -> None:
    fake = FakeBotAPI()
    app = build_app(fake, token="123456:wrong-token")
    with pytest.raises(InvalidToken):
        async with running_app(app, fake):
            pytest.fail("must not start")
    assert fake.calls[-1] == Call("getMe", {})
    assert fake.calls[-1].error_code == 401


@pytest.mark.asyncio
async def test_handler_errors_fail_fast() -> None:
    fake = FakeBotAPI()
    user = fake.add_user()
    with pytest.raises(AssertionError, match="handler error"):
        async with running_app(build_app(fake), fake):
            fake.send_text(user, fake.private_chat(user), "/boom")
            await fake.wait_for(timeout=5.0)
    assert isinstance(fake.app_errors[0], RuntimeError)


@pytest.mark.asyncio
async def test_pending_updates_are_delivered_and_shutdown_cancels_the_long_poll() -> None:
    # What makes stopping fast, asserted instead of timed: the long poll in flight is
    # cancelled (the fake would hold it for an hour), and the last request marks the
    # updates read without long polling (timeout 0).
    fake = FakeBotAPI(max_poll_wait=3600)
    user = fake.add_user()
    chat = fake.private_chat(user)
    fake.send_text(user, chat, "gửi trước khi bot chạy")
    app = build_app(fake)
    # The guard only keeps a regression from hanging the suite for the hour: stopping
    # takes milliseconds, the assertions below say why.
    async with asyncio.timeout(60), running_app(app, fake):
        await fake.wait_for(chat_id=chat)
        await fake.wait_delivered()
        await fake.wait_long_poll()
        in_flight = [c for c in fake.calls if c.method == "getUpdates"][-1]
    assert fake.pending_updates == []
    assert in_flight.response is None  # cancelled: never answered
    assert int(in_flight.params["timeout"]) > 0
    last = fake.calls[-1]
    assert last.method == "getUpdates" and last.ok and int(last.params["timeout"]) == 0
    assert not fake.long_polling  # no request left waiting in the fake
    assert not app.running


@pytest.mark.asyncio
async def test_telegram_limits_are_enforced_in_utf16_code_units(
    env: tuple[FakeBotAPI, AnyApp],
) -> None:
    from telegram import MessageEntity

    fake, app = env
    user = fake.add_user()
    chat = fake.private_chat(user)
    # Text: 4,096 UTF-16 code units. A Vietnamese letter (precomposed) counts one, an
    # emoji outside the Basic Multilingual Plane two.
    await app.bot.send_message(chat["id"], "ệ" * 4096)
    await app.bot.send_message(chat["id"], "📋" * 2048)
    for text in ("ệ" * 4097, "📋" * 2048 + "a", "e\u0323\u0302" * 1366):  # decomposed: 3 each
        with pytest.raises(BadRequest, match="Message is too long"):
            await app.bot.send_message(chat["id"], text)
    assert fake.calls[-1].response == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message is too long",
    }
    # Counted after parsing: markup does not count, the text it leaves does.
    await app.bot.send_message(chat["id"], "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="out of the text"):
        await app.bot.send_message(chat["id"], "📋 ab", entities=[MessageEntity("bold", 4, 2)])
    bold = MessageEntity("bold", 3, 2)  # "ab": the emoji takes offsets 0 and 1
    sent = await app.bot.send_message(chat["id"], "📋 ab", entities=[bold])
    assert sent.parse_entity(bold) == "ab"
    with pytest.raises(BadRequest, match="Message_too_long"):
        await app.bot.edit_message_text("a" * 4097, chat["id"], sent.message_id)
    # Captions: 1,024.
    await app.bot.send_photo(chat["id"], PNG, caption="📋" * 512)
    with pytest.raises(BadRequest, match="caption is too long"):
        await app.bot.send_photo(chat["id"], PNG, caption="📋" * 512 + "a")
    with pytest.raises(BadRequest, match="caption is too long"):
        await app.bot.send_document(chat["id"], CSV, filename="a.csv", caption="x" * 1025)
    # callback_data: 64 bytes of UTF-8 ("đ" takes two); at most 100 buttons.
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("Đ", callback_data="đ" * 32)]])
    await app.bot.send_message(chat["id"], "nút", reply_markup=ok)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("Đ", callback_data="đ" * 32 + "a")]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await app.bot.send_message(chat["id"], "nút", reply_markup=too_long)

    def keyboard(count: int) -> InlineKeyboardMarkup:
        buttons = [InlineKeyboardButton(str(i), callback_data=str(i)) for i in range(count)]
        return InlineKeyboardMarkup([buttons[i : i + 8] for i in range(0, count, 8)])

    await app.bot.send_message(chat["id"], "100 nút", reply_markup=keyboard(100))
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await app.bot.send_message(chat["id"], "101 nút", reply_markup=keyboard(101))


@pytest.mark.asyncio
async def test_a_button_notice_is_at_most_200_utf16_units() -> None:
    from telegram import Bot

    fake = FakeBotAPI()  # no application polling: the pressed button waits for this test
    async with Bot(fake.token, request=fake.make_request()) as bot:
        user = fake.add_user()
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Xem", callback_data="xem")]])
        chat = fake.private_chat(user)
        menu = await bot.send_message(chat["id"], "menu", reply_markup=markup)
        pressed = fake.press(user, fake.message(user, menu.message_id), "xem")
        query_id = pressed["callback_query"]["id"]
        with pytest.raises(BadRequest, match="Message_too_long"):
            await bot.answer_callback_query(query_id, "📋" * 100 + "a")
        await bot.answer_callback_query(query_id, "📋" * 100)
        assert fake.callback_answer(pressed) == {"text": "📋" * 100}
