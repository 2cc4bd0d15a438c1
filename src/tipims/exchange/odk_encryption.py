"""ODK encrypted submissions, decrypted with the form's RSA private key supplied at import.

ODK Collect's scheme (docs.getodk.org, "Encrypted forms"; ODK Briefcase's decryption): for each
submission a random 256-bit AES key is RSA-OAEP encrypted (SHA-1, MGF1) with the form's public key and
sent as ``base64EncryptedKey`` in the clear manifest ``submission.xml``; every file of the submission
(media first, then ``submission.xml.enc``) is AES-256-CFB encrypted with PKCS5 padding, under an IV
derived from MD5(instanceID + key) whose byte i mod 16 is incremented once per file. The manifest's
``base64EncryptedElementSignature`` (MD5 of the form id, version, key, instance id and each file's
MD5, RSA encrypted) is checked, so a tampered file is refused.

The file imported is a ZIP of the submissions as ODK Briefcase or ODK Central's raw export keeps
them: one folder per instance holding ``submission.xml`` and ``submission.xml.enc``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from xml.etree import ElementTree

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as asymmetric_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

try:  # CFB moved to the "decrepit" module in cryptography 47; ODK's scheme still needs it
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover (older cryptography)
    from cryptography.hazmat.primitives.ciphers.modes import CFB
from django.utils.translation import gettext as _

from tipims.exchange.framework import Row, RowError, check_size

OAEP = asymmetric_padding.OAEP(
    mgf=asymmetric_padding.MGF1(algorithm=hashes.SHA1()),  # noqa: S303 (ODK's scheme fixes SHA-1 here)
    algorithm=hashes.SHA1(),  # noqa: S303
    label=None,
)
_MAX_FILES = 20_000


class DecryptionFailed(ValueError):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: ElementTree.Element, name: str) -> str:
    for child in element.iter():
        if _local(child.tag) == name and child.text:
            return child.text.strip()
    return ""


def iv_for(instance_id: str, key: bytes, file_number: int) -> bytes:
    """The IV of the ``file_number``-th file (0-based) of a submission."""
    seed = bytearray(hashlib.md5(instance_id.encode("utf-8") + key).digest())  # noqa: S324 (ODK's scheme)
    for counter in range(file_number + 1):
        seed[counter % 16] = (seed[counter % 16] + 1) % 256
    return bytes(seed)


def decrypt_file(data: bytes, key: bytes, iv: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), CFB(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def _flatten_xml(element: ElementTree.Element, prefix: str = "") -> dict[str, str]:
    values: dict[str, str] = {}
    for child in element:
        name = f"{prefix}{_local(child.tag)}"
        if len(child):
            values.update(_flatten_xml(child, prefix=f"{name}/"))
        else:
            values[name] = (child.text or "").strip()
    return values


def _private_key(pem: bytes):
    try:
        return serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise DecryptionFailed(
            _("The private key is not a PEM RSA key without a passphrase: %(e)s") % {"e": error}
        ) from None


def decrypt_submission(manifest: bytes, files: dict[str, bytes], private_key) -> dict[str, str]:
    """One submission's fields, from its clear manifest and its encrypted files."""
    try:
        root = ElementTree.fromstring(manifest)  # noqa: S314 (a manifest from the partner: no entities expanded by ElementTree)
    except ElementTree.ParseError as error:
        raise DecryptionFailed(_("The manifest submission.xml is not XML: %(e)s") % {"e": error}) from None
    instance_id = _child_text(root, "instanceID")
    encrypted_key = _child_text(root, "base64EncryptedKey")
    xml_name = _child_text(root, "encryptedXmlFile") or "submission.xml.enc"
    media = [(child.text or "").strip() for child in root.iter() if _local(child.tag) == "file"]
    if not instance_id or not encrypted_key:
        raise DecryptionFailed(_("The manifest lacks the instance id or the encrypted key."))
    try:
        key = private_key.decrypt(base64.b64decode(encrypted_key), OAEP)
    except ValueError:
        raise DecryptionFailed(_("The submission was not encrypted with this form's key.")) from None
    clear: dict[str, bytes] = {}
    for number, name in enumerate([*media, xml_name]):
        if name not in files:
            raise DecryptionFailed(_("The file %(name)s of the submission is missing.") % {"name": name})
        try:
            clear[name] = decrypt_file(files[name], key, iv_for(instance_id, key, number))
        except ValueError:
            raise DecryptionFailed(_("The file %(name)s does not decrypt.") % {"name": name}) from None
    _check_signature(root, instance_id, encrypted_key, media, xml_name, clear, private_key)
    try:
        instance = ElementTree.fromstring(clear[xml_name])  # noqa: S314
    except ElementTree.ParseError:
        raise DecryptionFailed(_("The decrypted submission is not XML.")) from None
    values = _flatten_xml(instance)
    values.setdefault("meta/instanceID", instance_id)
    return values


def _check_signature(root, instance_id, encrypted_key, media, xml_name, clear, private_key) -> None:
    signature = _child_text(root, "base64EncryptedElementSignature")
    if not signature:
        raise DecryptionFailed(_("The manifest has no signature: the submission cannot be trusted."))
    lines = [root.attrib.get("id", "")]
    if root.attrib.get("version"):
        lines.append(root.attrib["version"])
    lines += [encrypted_key, instance_id]
    for name in [*media, xml_name]:
        plain_name = name.removesuffix(".enc")
        lines.append(f"{plain_name}::{hashlib.md5(clear[name]).hexdigest()}")  # noqa: S324
    expected = hashlib.md5(("\n".join(lines) + "\n").encode("utf-8")).digest()  # noqa: S324
    try:
        stated = private_key.decrypt(base64.b64decode(signature), OAEP)
    except ValueError:
        raise DecryptionFailed(_("The signature does not decrypt with this form's key.")) from None
    if stated != expected:
        raise DecryptionFailed(_("The signature does not match: the submission was altered."))


def decrypt_submissions(data: bytes, private_key_pem: bytes) -> tuple[list[Row], list[RowError]]:
    """Rows of decrypted submissions from a ZIP of instance folders; a failure names its submission."""
    check_size(len(data))
    try:
        private_key = _private_key(private_key_pem)
    except DecryptionFailed as error:
        return [], [RowError("submissions", 1, "private_key", str(error))]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        return [], [
            RowError("submissions", 1, "__all__", _("Not a ZIP of submissions: %(e)s") % {"e": error})
        ]
    if len(names) > _MAX_FILES:
        return [], [RowError("submissions", 1, "__all__", _("Too many files in the ZIP."))]
    folders: dict[str, dict[str, str]] = {}
    for name in names:
        folder, _sep, file_name = name.rpartition("/")
        if file_name:
            folders.setdefault(folder, {})[file_name] = name
    rows: list[Row] = []
    errors: list[RowError] = []
    for number, folder in enumerate(
        sorted(f for f, files in folders.items() if "submission.xml" in files), start=1
    ):
        members = folders[folder]
        try:
            total = sum(archive.getinfo(member).file_size for member in members.values())
            check_size(total)  # a ZIP bomb is refused before it is inflated
            files = {file_name: archive.read(member) for file_name, member in members.items()}
            values = decrypt_submission(files["submission.xml"], files, private_key)
        except DecryptionFailed as error:
            errors.append(RowError("submissions", number, "submission.xml.enc", str(error)))
            continue
        except (ValueError, zipfile.BadZipFile, OSError, EOFError) as error:
            errors.append(RowError("submissions", number, "__all__", str(error)))
            continue
        rows.append(Row("submissions", number, values))
    if not rows and not errors:
        errors.append(RowError("submissions", 1, "__all__", _("The ZIP holds no submission.xml.")))
    return rows, errors
