"""Static file storage for production: WhiteNoise's hashed, compressed files, gzip only.

Brotli at WhiteNoise's maximum quality takes minutes of CPU on the API docs' JavaScript bundles
for a saving no user of an internal service would notice; gzip takes seconds.
"""

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs) -> Compressor:
        return super().create_compressor(use_brotli=False, **kwargs)
