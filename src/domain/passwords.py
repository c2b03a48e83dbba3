"""The password policy: length bounds and a refusal of well-known passwords, no composition rules."""

from dataclasses import dataclass

MIN_LENGTH = 8
MAX_LENGTH = 256

# Widely published "most common passwords" of eight characters or more. The list is
# short on purpose: it stops the guesses an attacker tries first, not every weak one.
COMMON_PASSWORDS = frozenset(
    {
        "00000000", "11111111", "12341234", "12344321", "12345678", "123456789", "1234567890",
        "1q2w3e4r", "1qaz2wsx", "87654321", "88888888", "987654321", "abcd1234", "abc12345",
        "access14", "asdfasdf", "asdfghjk", "azerty123", "baseball", "basketball", "batman123",
        "blink182", "charlie1", "computer", "corvette", "danielle", "dragon123", "football",
        "football1", "freedom1", "hello123", "iloveyou", "iloveyou1", "jennifer", "jordan23",
        "letmein1", "letmein123", "liverpool", "michelle", "mustang1", "password", "password1",
        "password12", "password123", "password1234", "passw0rd", "princess", "princess1",
        "q1w2e3r4", "q1w2e3r4t5", "qazwsxedc", "qwer1234", "qwerty12", "qwerty123",
        "qwertyui", "qwertyuiop", "starwars", "sunshine", "superman", "trustno1", "welcome1",
        "welcome123", "whatever", "zaq12wsx", "zxcvbnm1", "abcdefgh", "aaaaaaaa", "admin123",
        "administrator", "changeme", "monkey123", "shadow12", "master12", "michael1",
    }
)


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """Decides whether a chosen password may be used. `refuse_common` can be turned off by configuration."""

    refuse_common: bool = True

    def violation(self, plain: str) -> str | None:
        """Return why `plain` is refused, or None when it is acceptable."""
        if len(plain) < MIN_LENGTH:
            return f"is too short (minimum is {MIN_LENGTH} characters)"
        if len(plain) > MAX_LENGTH:
            return f"is too long (maximum is {MAX_LENGTH} characters)"
        # Every listed password is ASCII, and so is the case-insensitive match: one rule that the API
        # document can state exactly (a full case folding would also refuse "paßword").
        if self.refuse_common and plain.isascii() and plain.lower() in COMMON_PASSWORDS:
            return "is too common"
        return None
