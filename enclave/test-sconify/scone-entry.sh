# Entrypoint of an image made by the sconify stand-in: SCONE_HASH=1 prints the enclave fingerprint (the real SCONE
# runtime prints MRENCLAVE the same way), anything else runs the source image's entrypoint.
if [ "${SCONE_HASH:-}" = "1" ]; then
  cat /.scone/fingerprint
  exit 0
fi
exec "$@"
