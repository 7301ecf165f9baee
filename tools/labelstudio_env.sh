#!/usr/bin/env bash
# Create the virtual environment with Label Studio that tests/test_review_labelstudio.py starts a
# real server from (its dependencies, Django among them, stay out of the project's environment).
#   tools/labelstudio_env.sh [DIR]      (default: .venv-labelstudio at the repository root)
# The install is bounded (LABEL_STUDIO_INSTALL_TIMEOUT seconds, default 900); exit status non-zero
# when it fails. The test finds the environment at $NETRAL_LABEL_STUDIO_VENV or .venv-labelstudio.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-.venv-labelstudio}"
if [ -x "$dir/bin/label-studio" ] && "$dir/bin/python" -c "import label_studio_sdk" 2>/dev/null; then
    echo "$dir: Label Studio is already installed"
    exit 0
fi
python3 -m venv "$dir"
PIP_DISABLE_PIP_VERSION_CHECK=1 timeout "${LABEL_STUDIO_INSTALL_TIMEOUT:-900}" \
    "$dir/bin/pip" install -q "label-studio>=1.20,<2" "label-studio-sdk>=2.0,<3"
# an import check, not `label-studio --version`, which never returned on a fresh machine (it went on to
# start a server)
"$dir/bin/python" -c "import label_studio, label_studio_sdk"
echo "$dir: $("$dir/bin/pip" show label-studio 2>/dev/null | grep -i '^version')"
