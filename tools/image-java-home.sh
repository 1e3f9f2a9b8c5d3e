#!/usr/bin/env bash
# Prints the home of a JDK of the release the container image runs (25 or later: the first that knows
# -XX:AOTCacheOutput), from JAVA_25_HOME or /usr/lib/jvm; prints nothing when this machine has none.
for home in ${JAVA_25_HOME:-} /usr/lib/jvm/*; do
  if [ -x "$home/bin/java" ] \
      && [ "$("$home/bin/java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -c ' AOTCacheOutput ')" = 1 ]; then
    echo "$home"
    exit 0
  fi
done
exit 0
