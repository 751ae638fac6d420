from django.core.management.base import BaseCommand, CommandError

from accord.algorithms.ewp.http_signature import key_id, public_key_base64
from accord.ewp.node.keys import NodeKeyExists, create_node_key, node_key_path


class Command(BaseCommand):
    help = (
        "Create this node's RSA key pair for EWP HTTP Signatures (stored at ACCORD_EWP_PRIVATE_KEY) "
        "and print the public key and its keyId."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bits", type=int, default=2048, help="key size (at least 2048)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace an existing key (partners reject the old one once the registry updates)",
        )

    def handle(self, *args, bits: int, replace: bool, **options):
        if bits < 2048:
            raise CommandError("The EWP registry refuses RSA keys shorter than 2048 bits.")
        try:
            key = create_node_key(bits=bits, replace=replace)
        except NodeKeyExists as exc:
            raise CommandError(f"{exc}; pass --replace to create a new one.") from exc
        public_key = key.public_key()
        self.stdout.write(f"Private key written to {node_key_path()} (readable by its owner only).")
        self.stdout.write(f"keyId: {key_id(public_key)}")
        self.stdout.write(
            f"Public key (published in the discovery manifests):\n{public_key_base64(public_key)}"
        )
