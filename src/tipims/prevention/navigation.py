"""The prevention entries in the main navigation, for the roles that may use them."""


def nav_entries(user) -> list[tuple[str, str, str]]:
    return []
