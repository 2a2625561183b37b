#!/usr/bin/env bash
# Print the path of a real Python 3.10 interpreter (Rasa 3.6 runs on 3.10 only); fail with advice when none is found.
set -u
candidates=()
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.*; do
  [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
done
candidates+=(/usr/local/bin/python3.10 /usr/bin/python3.10)
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
for python in "${candidates[@]}"; do
  if [ -x "$python" ] && "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then
    echo "$python"
    exit 0
  fi
done
echo "No Python 3.10 found (looked in ~/.pyenv/versions/3.10.*, /usr/local/bin, /usr/bin, PATH)." >&2
echo "Rasa 3.6 needs Python 3.10: install it (e.g. 'pyenv install 3.10') and run make again." >&2
exit 1
