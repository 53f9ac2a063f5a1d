#!/usr/bin/env bash
# Refresh the Swagger UI and ReDoc files the API serves at /docs and /redoc (api/static/),
# from the npm registry, so the documentation pages work with no network: nothing is fetched
# from a CDN at run time. Run after changing a version below; commit what it writes.
set -euo pipefail

SWAGGER_UI_VERSION=5.35.0  # swagger-ui-dist: Swagger UI 5 is the first to render OpenAPI 3.1
REDOC_VERSION=2.5.4        # redoc: bundles/redoc.standalone.js

root=$(cd "$(dirname "$0")/.." && pwd)
static="$root/api/static"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "swagger-ui-dist@$SWAGGER_UI_VERSION" "redoc@$REDOC_VERSION" >/dev/null
mkdir swagger redoc
tar xzf "swagger-ui-dist-$SWAGGER_UI_VERSION.tgz" -C swagger
tar xzf "redoc-$REDOC_VERSION.tgz" -C redoc

rm -rf "$static/swagger-ui" "$static/redoc"
mkdir -p "$static/swagger-ui" "$static/redoc"
cp swagger/package/{swagger-ui-bundle.js,swagger-ui-bundle.js.LICENSE.txt,swagger-ui.css} \
   swagger/package/{favicon-32x32.png,LICENSE,NOTICE} "$static/swagger-ui/"
cp redoc/package/bundles/{redoc.standalone.js,redoc.standalone.js.LICENSE.txt} \
   redoc/package/LICENSE "$static/redoc/"
# The source maps are not shipped: drop the comments that point browsers at them.
sed -i '/^\/\/# sourceMappingURL=/d; s#/\*\# sourceMappingURL=[^*]*\*/##' \
    "$static/swagger-ui/swagger-ui-bundle.js" "$static/swagger-ui/swagger-ui.css" \
    "$static/redoc/redoc.standalone.js"
printf 'swagger-ui-dist %s\nredoc %s\n' "$SWAGGER_UI_VERSION" "$REDOC_VERSION" \
    > "$static/VERSIONS"
echo "wrote $static (swagger-ui-dist $SWAGGER_UI_VERSION, redoc $REDOC_VERSION)"
