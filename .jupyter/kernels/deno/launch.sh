#!/bin/sh
# Starts the Deno Jupyter kernel for the repo-local kernelspec (JUPYTER_PATH=$PWD/.jupyter):
# with `deno` from the PATH when there is one, otherwise with the pinned Deno that npx fetches,
# so the notebooks also run after the README's `npx -y deno@2.9.6 ...` quick start.
# Usage (by Jupyter): launch.sh CONNECTION_FILE
if command -v deno >/dev/null 2>&1; then
  exec deno jupyter --kernel --conn "$1"
fi
exec npx -y deno@2.9.6 jupyter --kernel --conn "$1"
