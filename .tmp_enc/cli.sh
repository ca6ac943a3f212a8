set -e
cd /work/main
head -c 0 /dev/null
time npx tsx -e "require('./lib/cli').main ? 0 : 0" 2>/dev/null || true
