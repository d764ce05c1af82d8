#!/bin/bash
# The four EMM searches of sample-runs/emm (issue 21, item 12), one after another; rerunning resumes them
# (finished probes are reused, an interrupted one continues from its saved state). Usage: run.sh OUT [GENWINDOW]
set -e
OUT=${1:?usage: run.sh OUT [GENWINDOW]}
B=${2:-genwindow}
SEARCH="--model ddpm --n-start 16"
TRAIN="--data digits --ema 0.999 --fixed-batch --steps 15000"
$B emm $SEARCH --epsilon 0.1 --tolerance 0.25 --out "$OUT/w256" $TRAIN --width 256
$B emm $SEARCH --epsilon 0.1 --tolerance 0.25 --out "$OUT/w256-random" $TRAIN --width 256 --labels random
$B emm $SEARCH --epsilon 0.1 --tolerance 0.25 --out "$OUT/w512" $TRAIN --width 512
$B emm $SEARCH --epsilon 0.1 --tolerance 0.25 --out "$OUT/w128" $TRAIN --width 128
# Width 128 never reaches 0.9 (even at n = 2): its EMM at ε = 0.2, from the same probes.
$B emm $SEARCH --epsilon 0.2 --tolerance 1 --out "$OUT/w128" $TRAIN --width 128
