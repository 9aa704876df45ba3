# bin/find-jdk.sh - JDK discovery shared by ./petrel, ./test, .ci/run and bench/*.
#
# Source it, then call:  petrel_find_jdk [javac]
#   On success: sets PETREL_JDK to a JDK home whose major version is >= PETREL_MIN_JAVA
#   (and, with "javac", that also has a compiler) and returns 0.
#   On failure: prints to stderr what it looked at and how to get a JDK, returns 1.
# Order: $JAVA_HOME, then `java` on PATH, then the newest suitable one under /usr/lib/jvm.
# The version is read from the JDK's `release` file (no JVM start), else from `java -version`.
# PETREL_MIN_JAVA defaults to <maven.compiler.release> in pom.xml (class files need at
# least that runtime), else 21.  Needs PETREL_ROOT (the repository root) for the pom.

petrel_jdk_major() {   # JDK home -> major version on stdout; fails if there is no java
  local home=$1 v=""
  [ -x "$home/bin/java" ] || return 1
  [ -r "$home/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  [ -n "$v" ] || v=$(timeout 20 "$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n1)
  v=${v#1.}; v=${v%%[!0-9]*}          # 1.8.0_x -> 8, 25.0.3 -> 25, 21-ea -> 21
  [ -n "$v" ] && echo "$v"
}

petrel_min_java() {
  local r=""
  [ -r "${PETREL_ROOT:-.}/pom.xml" ] &&
    r=$(sed -n 's:.*<maven.compiler.release>\([0-9]*\)</maven.compiler.release>.*:\1:p' "${PETREL_ROOT:-.}/pom.xml" | head -n1)
  echo "${PETREL_MIN_JAVA:-${r:-21}}"
}

petrel_find_jdk() {
  local need_javac=${1:-} min home major best="" best_major=0 looked="" j d seen=" "
  min=$(petrel_min_java)
  PETREL_JDK=""
  # try <label> <home>: a usable candidate is >= min (and has javac when asked)
  _petrel_try() {
    local label=$1 h=$2 m
    h=$(readlink -f "$h" 2>/dev/null) || h=$2
    case "$seen" in *" $h "*) return 1 ;; esac
    seen="$seen$h "
    if ! m=$(petrel_jdk_major "$h"); then looked="$looked\n  $label: $h (no bin/java)"; return 1; fi
    if [ "$m" -lt "$min" ]; then looked="$looked\n  $label: $h (Java $m, too old)"; return 1; fi
    if [ -n "$need_javac" ] && [ ! -x "$h/bin/javac" ]; then looked="$looked\n  $label: $h (Java $m, a JRE: no javac)"; return 1; fi
    _petrel_major=$m; _petrel_home=$h
  }
  if [ -n "${JAVA_HOME:-}" ]; then
    _petrel_try "JAVA_HOME" "$JAVA_HOME" && { PETREL_JDK=$_petrel_home; return 0; }
  else looked="$looked\n  JAVA_HOME: not set"; fi
  if j=$(command -v java 2>/dev/null); then
    j=$(readlink -f "$j")
    _petrel_try "java on PATH" "${j%/bin/java}" && { PETREL_JDK=$_petrel_home; return 0; }
  else looked="$looked\n  java on PATH: none"; fi
  for d in /usr/lib/jvm/*/; do
    [ -d "$d" ] || continue
    _petrel_try "/usr/lib/jvm" "${d%/}" || continue
    [ "$_petrel_major" -gt "$best_major" ] && { best=$_petrel_home; best_major=$_petrel_major; }
  done
  [ -n "$best" ] && { PETREL_JDK=$best; return 0; }
  [ -d /usr/lib/jvm ] || looked="$looked\n  /usr/lib/jvm: does not exist"
  {
    echo "petrel: no JDK $min or newer${need_javac:+ (with javac)} found. Looked at:"
    printf '%b\n' "${looked#\\n}"
    echo "To fix: install a JDK $min+ and point JAVA_HOME at it, for example"
    echo "  apt-get install openjdk-$min-jdk-headless     (if your distribution has it; Debian 12 has only 17)"
    echo "  or Eclipse Temurin $min: https://adoptium.net/installation/linux/  (package temurin-$min-jdk)"
    echo "  then: export JAVA_HOME=/usr/lib/jvm/<that-jdk>"
  } >&2
  return 1
}

petrel_maven_env() {   # export JAVA_HOME=$PETREL_JDK for mvn; quiet Maven 3.8's Unsafe warnings on JDK 24+
  export JAVA_HOME=$PETREL_JDK
  local m; m=$(petrel_jdk_major "$PETREL_JDK")
  if [ "${m:-0}" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}
