#!/usr/bin/env bash
# Rewrites the PublicAPI.Unshipped.txt files from what Microsoft.CodeAnalysis.PublicApiAnalyzers reports, so that
# after a merge (or after adding public API on purpose) one run makes the build green again:
#   RS0016 "Symbol 'X' is not part of the declared public API"   -> X is appended to that project's Unshipped file
#   RS0017 "Symbol 'X' is part of the declared API, but is ..."  -> X is removed from the Unshipped file (or, if it
#                                                                   was shipped, "*REMOVED*X" is added, as the
#                                                                   analyzer's own code fix does)
# The analyzer's message names each symbol exactly as the file must spell it, so the lines are copied verbatim.
# A tracked project (TrackPublicApi, see src/Directory.Build.targets) that has no PublicAPI files yet gets them.
#
# Usage: build/update-public-api.sh [solution-or-project]     (default: Winsock2.slnx at the repository root)
# Exit: 0 when the final build is green, 1 otherwise (e.g. RS0026: an API-shape rule the files cannot fix).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target="${1:-Winsock2.slnx}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# 1. Every tracked project has both files (a new project starts with empty ones: the analyzer then lists it all).
for proj in src/*/*.csproj; do
  dir="$(dirname "$proj")"
  if [[ "$(dotnet msbuild "$proj" -nologo -getProperty:TrackPublicApi 2>/dev/null | tr -d '[:space:]')" == "true" ]]; then
    for f in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
      [[ -f "$dir/$f" ]] || { printf '#nullable enable\n' > "$dir/$f"; echo "created $dir/$f"; }
    done
  fi
done

# 2. Build everything with the analyzer's findings as warnings (so no project is skipped because a dependency
#    failed) and without incrementality (so every project is analysed and reports again).
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet build "$target" --no-incremental -nologo -tl:off -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= \
  >"$log" 2>&1 || true

# 3. Parse "path(l,c): warning RS0016: Symbol '<symbol>' is not part of the declared public API (...) [project]".
added=0 removed=0
declare -A touched=()
while IFS=$'\t' read -r code symbol proj; do
  [[ -n "$proj" ]] || continue
  dir="$(dirname "$proj")"
  unshipped="$dir/PublicAPI.Unshipped.txt"
  shipped="$dir/PublicAPI.Shipped.txt"
  [[ -f "$unshipped" ]] || printf '#nullable enable\n' > "$unshipped"
  case "$code" in
    RS0016)
      if ! grep -qxF -- "$symbol" "$unshipped"; then printf '%s\n' "$symbol" >> "$unshipped"; added=$((added+1)); fi ;;
    RS0017)
      if grep -qxF -- "$symbol" "$unshipped"; then
        grep -vxF -- "$symbol" "$unshipped" > "$unshipped.tmp" || true
        mv "$unshipped.tmp" "$unshipped"
      elif [[ -f "$shipped" ]] && grep -qxF -- "$symbol" "$shipped"; then
        grep -qxF -- "*REMOVED*$symbol" "$unshipped" || printf '*REMOVED*%s\n' "$symbol" >> "$unshipped"
      fi
      removed=$((removed+1)) ;;
  esac
  touched["$unshipped"]=1
done < <(perl -ne '
  if (/: (?:warning|error) (RS001[67]): Symbol \x27(.*)\x27 (?:is not part of the declared public API|is part of the declared API, but is either not public or could not be found).*\[([^\]]+\.csproj)(?:::[^\]]*)?\]\s*$/) {
    print "$1\t$2\t$3\n";
  }' "$log" | sort -u)

# 4. Keep each touched file tidy and merge-friendly: "#nullable enable" first, then the symbols in ordinal order.
for f in "${!touched[@]}"; do
  { grep -xF '#nullable enable' "$f" | head -1 || true; grep -vxF '#nullable enable' "$f" | grep -v '^[[:space:]]*$' | LC_ALL=C sort -u || true; } > "$f.tmp"
  mv "$f.tmp" "$f"
done
echo "public API: $added symbol(s) declared, $removed removed, in ${#touched[@]} file(s)"

# 5. The real build: green, or the remaining diagnostics are printed.
if dotnet build "$target" -nologo -tl:off >"$log" 2>&1; then
  echo "build: green"
else
  grep -E ' error ' "$log" | sort -u | head -50
  echo "build: still failing (the errors above are not ones this script can fix)"
  exit 1
fi
