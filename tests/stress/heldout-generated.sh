#!/usr/bin/env bash
# A held-out set's generator under ctest (docs/predict.md): scripts/make-heldout-set<SET>.py
# (SET 2 to 24) makes two images of every family; each is named as scripts/stress-eval.py reads
# it (a digit, n<2-6 digits>_, or x_), decodes, and has its family's size; heldout.txt lists
# the set's families; the same seed makes the same bytes, whichever families are asked for.
# It never runs blnk: whoever tunes the reader is not to see how it does on these families.
# Skips (77) without Debian's python3 with numpy, PIL and OpenCV, the set's fonts
# (scripts/fetch-heldout-fonts.sh --set SET) or MNIST.
#   tests/stress/heldout-generated.sh SET SHARED_DATA_DIR
set -uo pipefail
set_number=$1
data=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
python=/usr/bin/python3
case "$set_number" in
  2) again=(seven-seg embossed) ;;
  3) again=(marks-wild form-boxes) ;;  # form-boxes draws MNIST digits, as families before it do
  4) again=(marks-wild4 fogged-glass) ;;  # fogged-glass draws MNIST digits, as families before it do
  5) again=(receipt parcel-label) ;;  # parcel-label draws MNIST digits, as families before it do
  6) again=(chat-screenshot hopscotch) ;;  # hopscotch draws MNIST digits, as families before it do
  7) again=(ransom-note wall-brush) ;;  # wall-brush draws MNIST digits, as families before it do
  8) again=(utility-meter palm-ink) ;;  # palm-ink draws MNIST digits, as families before it do
  9) again=(pixel-game napkin-pen) ;;  # napkin-pen draws MNIST digits, as families before it do
  10) again=(barcode-label frost-finger) ;;  # frost-finger draws MNIST digits, as families before it do
  11) again=(shop-window clay-digit) ;;  # clay-digit draws MNIST digits, as families before it do
  12) again=(cake-icing spilled-drink) ;;  # spilled-drink draws MNIST digits, as families before it do
  13) again=(number-ball trace-worksheet) ;;  # trace-worksheet draws MNIST digits, as families before it do
  14) again=(room-sign raffle-ticket) ;;  # raffle-ticket draws MNIST digits, as families before it do
  15) again=(key-fob paper-cup) ;;  # paper-cup draws MNIST digits, as families before it do
  16) again=(toy-block quiz-circle) ;;  # quiz-circle draws MNIST digits, as families before it do
  17) again=(shelf-label flour-tray) ;;  # flour-tray draws MNIST digits, as families before it do
  18) again=(tape-digit chalk-sidewalk) ;;  # chalk-sidewalk draws MNIST digits, as families before it do
  19) again=(boat-hull latte-foam) ;;  # both draw MNIST digits, as every family of set 19 does
  20) again=(neon-sign marks-wild20) ;;  # neon-sign draws MNIST digits, as every digit family of set 20 does
  21) again=(pixel-thumbnail marks-lowres) ;;  # pixel-thumbnail draws MNIST digits, as zoomed-photo does
  22) again=(fax-digit marks-crop) ;;  # fax-digit draws MNIST digits, as marker-crop does
  23) again=(stencil-paint marks-pieces) ;;  # no family draws MNIST digits: --mnist is taken and not read
  24) again=(striped-fabric marks-texture) ;;  # wood-door and corrugated-sign draw MNIST digits (set 21's start, mnist=True)
  *) echo "FAIL: SET must be 2 to 24, not '$set_number'"; exit 2 ;;
esac
if ! "$python" -c "import numpy, PIL, cv2; cv2.ximgproc" 2>/dev/null; then
  echo "SKIP: needs /usr/bin/python3 with numpy, PIL and OpenCV (scripts/setup.sh --test)"; exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make() {  # OUT [options...]
  "$python" "$here/scripts/make-heldout-set$set_number.py" "$@" --per-family 2 --seed 5 --mnist "$data/mnist"
}
make "$work/a"
status=$?
[[ $status == 77 ]] && exit 77
[[ $status == 0 ]] || { echo "FAIL: make-heldout-set$set_number.py exited $status"; exit 1; }
"$python" - "$set_number" "$work/a" <<'PY' || exit 1
import os, re, sys
from PIL import Image
set_number, out = sys.argv[1:]
digit = r"\d_\w+\.(jpg|png)"
# For each family: the file names' pattern and the images' least and greatest height.
sets = {
    "2": {"embossed": (digit, 40, 160), "whiteboard": (digit, 960, 4032), "chalkboard": (digit, 960, 4032),
          "seven-seg": (digit, 200, 1200), "numbers-wild": (r"n\d{2,5}_\w+\.jpg", 600, 4032),
          "symbols-wild": (r"x_\w+\.jpg", 40, 4032)},
    "3": {"screen-photo": (r"\d_(typed|drawn)\d{3}\.jpg", 240, 4032),
          "stencil-spray": (r"\d_(stencil|spray)\d{3}\.jpg", 300, 4032),
          "led-matrix": (r"\d_led\d{3}\.(jpg|png)", 40, 4032),
          "bead-mosaic": (r"\d_(path|filled)\d{3}\.jpg", 300, 4032),
          "form-boxes": (r"n\d{2,5}_(scan|photo)\d{3}\.(jpg|png)", 50, 4032),
          "marks-wild": (r"x_(signature|tick|logo|doodle|face|word)-(screen|stencil|led|bead|form)\d{3}\.jpg",
                         40, 4032)},
    "4": {"sticky-note": (r"\d_note\d{3}\.jpg", 320, 4032),
          "fogged-glass": (r"\d_fog\d{3}\.jpg", 320, 4032),
          "race-bib": (r"n[1-9]\d{1,4}_bib\d{3}\.jpg", 400, 4032),
          "neon-sign": (r"\d_(tube|lit|halo)\d{3}\.(jpg|png)", 240, 4032),
          "tile-number": (r"\d_tile\d{3}\.jpg", 320, 4032),
          "marks-wild4": (r"x_(word|doodle|face|scribble|name|flower|letter)-(sticky|fog|bib|neon|tile)\d{3}\.jpg",
                          240, 4032)},
    "5": {"graph-paper": (r"\d_(pen|pencil|felt)\d{3}\.(jpg|png)", 320, 4032),
          "receipt": (r"n[1-9]\d{1,4}_(scan|photo)\d{3}\.(jpg|png)", 300, 4032),
          "embroidery": (r"\d_(backstitch|satin)\d{3}\.jpg", 320, 4032),
          "sand-trace": (r"\d_(sand|snow|dust)\d{3}\.jpg", 320, 4032),
          "parcel-label": (r"n[1-9]\d{1,4}_(box|jar)\d{3}\.(jpg|png)", 400, 4032),
          "marks-wild5": (r"x_(word|initials|signature|doodle|face|qr|icon)-(grid|receipt|stitch|sand|parcel)\d{3}"
                          r"\.(jpg|png)", 300, 4032)},
    "6": {"perspective-notebook": (r"\d_(pencil|gel)\d{3}\.jpg", 320, 4000),
          "blurred-photo": (r"\d_(motion|defocus)\d{3}\.jpg", 320, 4000),
          "curved-label": (r"\d_(mug|bottle|tin)\d{3}\.jpg", 320, 4000),
          "chat-screenshot": (r"n[1-9]\d{1,4}_chat\d{3}\.(jpg|png)", 1000, 2532),
          "hopscotch": (r"\d_chalk\d{3}\.jpg", 320, 4000),
          "marks-wild6": (r"x_(word|letter|arrow|star|smiley|tick|cross|hash|face|sun|flower|house|heart|logo)-"
                          r"(notebook|blurred|chat|chalk|mug)\d{3}\.(jpg|png)", 320, 4000)},
    "7": {"crayon-doodle": (r"\d_(crayon|pencil)\d{3}\.jpg", 320, 4000),
          "house-number": (r"n[1-9]\d{1,3}_(door|mailbox)\d{3}\.jpg", 320, 4000),
          "jersey": (r"\d_jersey\d{3}\.jpg", 320, 4000),
          "ransom-note": (r"n[1-9]\d{1,4}_ransom\d{3}\.jpg", 320, 4000),
          "wall-brush": (r"\d_(brush|marker)\d{3}\.jpg", 320, 4000),
          "marks-wild7": (r"x_(letter[OlSBZgq]|plus|equals|percent|hash|arrow|logo|barcode)-"
                          r"(crayon|door|jersey|ransom|wall)\d{3}\.jpg", 320, 4000)},
    "8": {"palm-ink": (r"\d_(ballpoint|marker)\d{3}\.jpg", 320, 4000),
          "hand-shadow": (r"\d_(ballpoint|pencil|felt)\d{3}\.jpg", 480, 4000),
          "photocopy": (r"\d_(ballpoint|felt|print)\d{3}\.(jpg|png)", 600, 2500),
          "birthday-candle": (r"(\d|n[1-9]\d)_candle\d{3}\.jpg", 320, 4000),
          "utility-meter": (r"n\d{4,6}_meter\d{3}\.jpg", 320, 4000),
          "marks-wild8": (r"x_(tally|check|note|cjk|face|euro|pound|yen|amp|at)-"
                          r"(palm|shadow|copy|candle|meter)\d{3}\.(jpg|png)", 320, 4000)},
    "9": {"fridge-magnet": (r"\d_magnet\d{3}\.jpg", 320, 4000),
          "road-marking": (r"(\d|n[1-9]\d{1,2})_road\d{3}\.jpg", 320, 4000),
          "pixel-game": (r"(\d|n[1-9]\d{1,5})_(block|tall)-(shot|photo)\d{3}\.(jpg|png)", 240, 4032),
          "pyrography": (r"\d_(burn|print)\d{3}\.jpg", 320, 4000),
          "napkin-pen": (r"\d_(ballpoint|felt)\d{3}\.jpg", 320, 4000),
          "marks-wild9": (r"x_(letters|arrow|word|heart|gem|hero|slime|star|tree|initials|face)-"
                          r"(fridge|road|pixel|pyro|napkin)\d{3}\.(jpg|png)", 240, 4032)},
    "10": {"ink-stamp": (r"(\d|n[1-9]\d{1,3})_(scan|photo)\d{3}\.jpg", 320, 4000),
           "fax-scan": (r"\d_(fax|dither)\d{3}\.(jpg|png)", 320, 3600),
           "yarn-digit": (r"\d_(yarn|string|rope)\d{3}\.jpg", 320, 4000),
           "frost-finger": (r"\d_(frost|mist)\d{3}\.jpg", 320, 4000),
           "barcode-label": (r"(\d|n[1-9]\d{1,7})_(product|shelf)\d{3}\.jpg", 320, 4000),
           "marks-wild10": (r"x_(star|paid|check|logo|signature|loop|knot|heart|spiral|smiley|arrow|bars|letters)-"
                            r"(stamp|fax|yarn|frost|barcode)\d{3}\.(jpg|png)", 320, 4000)},
    "11": {"price-tag": (r"(\d|n[1-9]\d{1,3})_(marker|print)\d{3}\.jpg", 320, 4000),
           "calendar-day": (r"(\d|n(1\d|2\d|3[01]))_(tear|wall)\d{3}\.jpg", 320, 4000),
           "clay-digit": (r"\d_(table|board)\d{3}\.jpg", 320, 4000),
           "shop-window": (r"(\d|n[1-9]\d{1,2})_(vinyl|paint)\d{3}\.jpg", 320, 4000),
           "tally-board": (r"\d_(white|green|slate)\d{3}\.jpg", 320, 4000),
           "marks-wild11": (r"x_(sale|new|percent|weekday|picture|heart|snake|ball|word|logo|tick|cross|smiley)-"
                            r"(tag|calendar|clay|window|board)\d{3}\.jpg", 320, 4000)},
    "12": {"sparkler-trail": (r"(\d|n[1-9]\d{1,2})_(sparkler|torch)\d{3}\.(jpg|png)", 320, 4000),
           "scoreboard": (r"(\d|n[1-9]\d{1,2})_(green|black|white)\d{3}\.(jpg|png)", 320, 4000),
           "cutout-shelf": (r"(\d|n[1-9]\d{1,2})_(plywood|painted|card)\d{3}\.(jpg|png)", 320, 4000),
           "spilled-drink": (r"(\d|n[1-9]\d{1,2})_(coffee|tea|wine|cola|milk)\d{3}\.(jpg|png)", 320, 4000),
           "cake-icing": (r"(\d|n[1-9]\d{1,2})_(round|square)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild12": (r"x_(heart|star|spiral|smiley|letters|blank|letter|wave|cross|flower|word)-"
                            r"(sparkler|scoreboard|cutout|spill|cake)\d{3}\.(jpg|png)", 320, 4000)},
    "13": {"speed-sign": (r"(\d|n[1-9]\d{1,2})_(ring|shield)\d{3}\.(jpg|png)", 320, 4000),
           "book-page": (r"(\d|n[1-9]\d{1,2})_(foot|corner)\d{3}\.(jpg|png)", 320, 4000),
           "trace-worksheet": (r"(\d|n[1-9]\d{1,2})_(pencil|crayon)\d{3}\.(jpg|png)", 320, 4000),
           "number-ball": (r"(\d|n[1-9]\d{1,2})_(pool|lotto)\d{3}\.(jpg|png)", 320, 4000),
           "lift-button": (r"(\d|n[1-9]\d{1,2})_(steel|black)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild13": (r"x_(arrow|letters|ornament|word|shape|letter|star|cue|bell|arrows)-"
                            r"(sign|page|sheet|ball|lift)\d{3}\.(jpg|png)", 320, 4000)},
    "14": {"margin-answer": (r"(\d|n[1-9]\d{1,2})_(pencil|biro)\d{3}\.(jpg|png)", 320, 4000),
           "raffle-ticket": (r"(\d|n[1-9]\d{1,2})_(biro|marker)\d{3}\.(jpg|png)", 320, 4000),
           "station-sign": (r"(\d|n[1-9]\d{1,2})_(navy|green|white)\d{3}\.(jpg|png)", 320, 4000),
           "postage-stamp": (r"(\d|n[1-9]\d{1,2})_(mint|used)\d{3}\.(jpg|png)", 320, 4000),
           "room-sign": (r"(\d|n[1-9]\d{1,2})_(white|grey|blue)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild14": (r"x_(letter|star|initials|heart|arrow|blank|word)-"
                            r"(sheet|ticket|sign|stamp|room)\d{3}\.(jpg|png)", 320, 4000)},
    "15": {"index-card": (r"(\d|n[1-9]\d{1,2})_(cloth|floor)\d{3}\.(jpg|png)", 320, 4000),
           "cheque-amount": (r"(\d|n[1-9]\d{1,2})_(blue|black)\d{3}\.(jpg|png)", 320, 4000),
           "paper-cup": (r"(\d|n[1-9]\d{1,2})_(white|kraft)\d{3}\.(jpg|png)", 320, 4000),
           "key-fob": (r"(\d|n[1-9]\d{1,2})_(red|blue|green|yellow)\d{3}\.(jpg|png)", 320, 4000),
           "spine-label": (r"(\d|n[1-9]\d{1,2})_(white|yellow)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild15": (r"x_(letter|star|initials|blank|heart|letters)-"
                            r"(card|cheque|cup|fob|spine)\d{3}\.(jpg|png)", 320, 4000)},
    "16": {"quiz-circle": (r"(\d|n[1-9]\d{1,2})_(ring|box)\d{3}\.(jpg|png)", 320, 4000),
           "locker-door": (r"(\d|n[1-9]\d{1,2})_(plate|painted|vinyl)\d{3}\.(jpg|png)", 320, 4000),
           "tote-bag": (r"(\d|n[1-9]\d{1,2})_(natural|black|navy|red)\d{3}\.(jpg|png)", 320, 4000),
           "toy-block": (r"(\d|n[1-9]\d{1,2})_(wood|painted)\d{3}\.(jpg|png)", 320, 4000),
           "foil-balloon": (r"(\d|n[1-9]\d{1,2})_(gold|silver|rose|blue)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild16": (r"x_(letter|tick|blank|word|star|letters|pictures|heart)-"
                            r"(quiz|locker|bag|block|balloon)\d{3}\.(jpg|png)", 320, 4000)},
    "17": {"parking-bay": (r"(\d|n[1-9]\d{1,3})_(asphalt|concrete)\d{3}\.(jpg|png)", 320, 4000),
           "shelf-label": (r"(\d|n[1-9]\d{1,3})_(card|brass)\d{3}\.(jpg|png)", 320, 4000),
           "flour-tray": (r"(\d|n[1-9]\d{1,2})_(flour|sugar)\d{3}\.(jpg|png)", 320, 4000),
           "dosage-label": (r"(\d|n[1-9]\d{1,2})_(plain|badge)\d{3}\.(jpg|png)", 320, 4000),
           "plant-marker": (r"(\d|n[1-9]\d{1,2})_(stake|tee)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild17": (r"x_(letter|arrow|word|heart|smiley|star|pill|picture)-"
                            r"(bay|shelf|tray|box|pot)\d{3}\.(jpg|png)", 320, 4000)},
    "18": {"seven-segment": (r"(\d|n[1-9]\d{1,2})_(lcd|led)\d{3}\.(jpg|png)", 320, 4000),
           "whiteboard18": (r"(\d|n[1-9]\d{1,2})_(black|blue|red|green)\d{3}\.(jpg|png)", 320, 4000),
           "tape-digit": (r"(\d|n[1-9]\d{1,2})_(masking|electrical|duct)\d{3}\.(jpg|png)", 320, 4000),
           "matchstick": (r"(\d|n[1-9]\d{1,2})_(match|toothpick|twig)\d{3}\.(jpg|png)", 320, 4000),
           "chalk-sidewalk": (r"(\d|n[1-9]\d{1,2})_(grey|red)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild18": (r"x_(letter|word|arrow|cross|square|house|triangle|star|sun|flower|heart|smiley)-"
                            r"(segment|board|tape|stick|chalk)\d{3}\.(jpg|png)", 320, 4000)},
    "19": {"boat-hull": (r"(\d|n[1-9]\d{1,2})_(white|blue|red)\d{3}\.(jpg|png)", 320, 4000),
           "wire-digit": (r"(\d|n[1-9]\d{1,2})_(copper|steel)\d{3}\.(jpg|png)", 320, 4000),
           "felt-applique": (r"(\d|n[1-9]\d{1,2})_(quilt|cushion)\d{3}\.(jpg|png)", 320, 4000),
           "painted-rock": (r"(\d|n[1-9]\d{1,2})_(white|black)\d{3}\.(jpg|png)", 320, 4000),
           "latte-foam": (r"(\d|n[1-9]\d{1,2})_(foam|cocoa)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild19": (r"x_(name|letter|star|spiral|heart|house|smiley|flower|leaf)-"
                            r"(boat|wire|felt|rock|latte)\d{3}\.(jpg|png)", 320, 4000)},
    "20": {"sand-writing": (r"(\d|n[1-9]\d{1,2})_(finger|stick)\d{3}\.(jpg|png)", 320, 4000),
           "fogged-window": (r"(\d|n[1-9]\d{1,2})_(street|garden)\d{3}\.(jpg|png)", 320, 4000),
           "neon-sign": (r"(\d|n[1-9]\d{1,2})_(brick|panel)\d{3}\.(jpg|png)", 320, 4000),
           "vinyl-sticker": (r"(\d|n[1-9]\d{1,2})_(car|mailbox|door)\d{3}\.(jpg|png)", 320, 4000),
           "snow-trace": (r"(\d|n[1-9]\d{1,2})_(sun|overcast)\d{3}\.(jpg|png)", 320, 4000),
           "marks-wild20": (r"x_(letter|heart|star|smiley|arrow|spiral)-"
                            r"(sand|fog|neon|vinyl|snow)\d{3}\.(jpg|png)", 320, 4000)},
    "21": {"zoomed-photo": (r"\d_zoom\d{3}\.(jpg|png)", 15, 600),
           "pixel-thumbnail": (r"\d_thumb\d{3}\.png", 15, 600),
           "marks-lowres": (r"x_(\w+)-(zoomed|pixel)\d{3}\.(jpg|png)", 15, 600)},
    "22": {"marker-crop": (r"\d_marker\d{3}\.(jpg|png)", 15, 600),
           "fax-digit": (r"\d_fax\d{3}\.png", 15, 600),
           "marks-crop": (r"x_(\w+)-(marker|fax)\d{3}\.(jpg|png)", 15, 600)},
    "23": {"lcd-display": (r"(\d|n\d{2,5})_lcd-display\d{3}\.(jpg|png)", 300, 4000),
           "led-dots": (r"(\d|n\d{2,5})_led-dots\d{3}\.(jpg|png)", 300, 4000),
           "stencil-paint": (r"(\d|n\d{2,4})_stencil-paint\d{3}\.(jpg|png)", 300, 4000),
           "marks-pieces": (r"x_\w+-(lcd|dots|stencil)\d{3}\.(jpg|png)", 300, 4000)},
    "24": {"wood-door": (r"(\d|n\d{2,4})_wood-door\d{3}\.(jpg|png)", 320, 4000),
           "brushed-metal": (r"(\d|n\d{2,4})_brushed-metal\d{3}\.(jpg|png)", 320, 4000),
           "corrugated-sign": (r"(\d|n\d{2,4})_corrugated-sign\d{3}\.(jpg|png)", 320, 4000),
           "striped-fabric": (r"(\d|n\d{2,4})_striped-fabric\d{3}\.(jpg|png)", 320, 4000),
           "marks-texture": (r"x_\w+-(wood|metal|corrugated|fabric)\d{3}\.(jpg|png)", 320, 4000)},
}
families = sets[set_number]
listed = [l.strip() for l in open(os.path.join(out, "heldout.txt")) if l.strip() and not l.startswith("#")]
assert listed == list(families), f"heldout.txt lists {listed}"
for family, (pattern, lo, hi) in families.items():
    files = sorted(os.listdir(os.path.join(out, family, "all")))
    assert len(files) == 2, f"{family}: {files}"
    for f in files:
        assert re.fullmatch(pattern, f), f"{family}: badly named {f}"
        with Image.open(os.path.join(out, family, "all", f)) as img:
            img.load()
            assert lo <= img.height <= hi, f"{family}/{f}: {img.size}"
print("names, sizes and heldout.txt ok")
PY
make "$work/b" --families "$(IFS=,; echo "${again[*]}")" >/dev/null || { echo "FAIL: second run"; exit 1; }
for family in "${again[@]}"; do
  diff -r "$work/a/$family" "$work/b/$family" >/dev/null || { echo "FAIL: $family differs between two runs of one seed"; exit 1; }
done
echo "ok"
