"""The wire format: Telegram HTML, multipart bodies, images."""

from __future__ import annotations

from fake_bot_api import image_size, parse_html
from fake_bot_api.wire import parse_request_params
from tests.fake_bot_api.client import png


def test_parse_html_entities() -> None:
    text, entities = parse_html(
        '😀 <b>bold <i>both</i></b> <a href="https://x.y/?a=1&amp;b=2">link</a>'
    )
    assert text == "😀 bold both link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "url": "https://x.y/?a=1&b=2", "offset": 13, "length": 4},
    ]


def test_multipart_fields_and_uploads() -> None:
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="chat_id"\r\n\r\n'
        b"42\r\n"
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="protect_content"\r\n\r\n'
        b"true\r\n"
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="document"; filename="a b.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
        b"line one\r\nline two\r\n"
        b"--XyZ--\r\n"
    )
    params, uploads = parse_request_params("", "multipart/form-data; boundary=XyZ", body)
    assert params == {"chat_id": 42, "protect_content": True}
    upload = uploads["document"]
    assert (upload.filename, upload.data, upload.content_type) == (
        "a b.txt",
        b"line one\r\nline two",
        "text/plain",
    )


def test_image_size() -> None:
    assert image_size(png(400, 200)) == (400, 200)
    assert image_size(b"GIF89a\x10\x00\x08\x00") == (16, 8)
    assert image_size(b"not an image") is None
