# Shared by the scripts: install Debian packages a fresh machine lacks. Source it; it defines functions only.

# apt_install <package>...: installs with apt-get, which needs root; says what to run otherwise.
apt_install() {
  echo "Installing $* with apt-get." >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "Installing $* needs root: run 'sudo apt-get install -y $*' and try again." >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
