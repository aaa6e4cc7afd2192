"""The e-mail backend of `make run`: one .eml file per message, and one line on the console."""

import sys
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmlFileBackend(BaseEmailBackend):
    """Write each message to `file_path`/<time>-<id>.eml, readable by any mail client."""

    def __init__(self, *, file_path: str, **kwargs):
        super().__init__(**kwargs)
        self.file_path = file_path

    def send_messages(self, email_messages) -> int:
        directory = Path(self.file_path)
        directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            path = directory / f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
            recipients = ", ".join(message.recipients())
            sys.stdout.write(f"E-mail to {recipients}: {message.subject} ({path})\n")
            sys.stdout.flush()
        return len(email_messages)
