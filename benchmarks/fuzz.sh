#!/usr/bin/env bash
# Fuzzes every parser of outside input for longer than the normal build does, one @FuzzTest method
# at a time (Jazzer fuzzes one method per JVM). The normal build only replays the corpus kept in
# src/test/resources/<package>/<Class>Inputs/<method>/; here Jazzer mutates it with coverage
# guidance for each method's maxDuration (30 s), keeps what it generated under <module>/.cifuzz-corpus
# (ignored by git) and writes each input that fails into the Inputs directory, where it becomes a
# regression test of the normal build: commit it with the fix.
#
# Usage: benchmarks/fuzz.sh [Class#method ...]     (default: every fuzz test below)
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# module  Class#method
TARGETS=(
  "relay HeaderParsingFuzzTest#requestTargetsAreRelayedOrRefusedWith400"
  "relay HeaderParsingFuzzTest#cacheControlDirectivesAreBounded"
  "relay HeaderParsingFuzzTest#storageAndFreshnessDecisionsNeverFail"
  "relay HeaderParsingFuzzTest#httpDatesParseOrAreNull"
  "relay HeaderParsingFuzzTest#rangesLieWithinTheBody"
  "relay HeaderParsingFuzzTest#viaAndForwardingHeadersNeverFail"
  "eye EventParsingFuzzTest#eventBodiesAreAcceptedWithinBoundsOrRefusedWith400"
  "eye EventParsingFuzzTest#timestampsParseToMicrosThatRoundTrip"
  "compute ArgumentsFuzzTest#pathArgumentsAreNonNegativeNumbersOrA400NamingTheParameter"
  "bench PrometheusTextFuzzTest#anyScrapeYieldsFiniteValuesOfAskedNamesOnly"
  "distribute TaskRequestsFuzzTest#taskPayloadsAreTasksOrA4xxNamingAField"
  "distribute TaskRequestsFuzzTest#waitsAreBoundedOrA400"
  "app ConfigValuesFuzzTest#durationsAreReadOrRefusedWithAConversionError"
)

selected=("$@")
failed=()
for entry in "${TARGETS[@]}"; do
  module="${entry%% *}"
  test="${entry#* }"
  if [[ ${#selected[@]} -gt 0 && ! " ${selected[*]} " == *" $test "* ]]; then
    continue
  fi
  echo "== fuzzing $module $test"
  if ! JAZZER_FUZZ=1 JAVA_HOME="$(./switchboard jdk)" ./mvnw -q -B -ntp \
      -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true; then
    failed+=("$module $test")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzing found failures in: ${failed[*]} (the inputs are in the Inputs directories; see git status)" >&2
  exit 1
fi
echo "fuzzing found nothing"
