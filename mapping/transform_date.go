package mapping

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Named date layouts, usable in the date transform's "from" and "to"
// besides Go reference layouts ("2006-01-02", "02/01/2006").
const (
	LayoutDate      = "date"      // 2006-01-02 (BambooHR, HiBob, Learn Amp dates)
	LayoutRFC3339   = "rfc3339"   // 2006-01-02T15:04:05Z07:00, fractions accepted
	LayoutUnix      = "unix"      // seconds since 1970, number or digit text (TalentLMS *_timestamp)
	LayoutUnixMilli = "unixms"    // milliseconds since 1970
	LayoutWCF       = "wcf"       // /Date(1497801750508+0000)/ (Litmos JSON; https://github.com/Trustpower/Python-Litmos)
	LayoutTalentLMS = "talentlms" // 21/08/2020, 07:05:00 (TalentLMS v1 default; https://github.com/sep/talent-lms-api)
)

var namedLayouts = map[string]string{
	LayoutDate:      "2006-01-02",
	LayoutRFC3339:   time.RFC3339Nano,
	LayoutTalentLMS: "02/01/2006, 15:04:05",
}

// defaultFrom is what the date transform parses when "from" is absent:
// the ISO forms the vendors send, with and without zone or fraction.
var defaultFrom = []string{
	LayoutRFC3339, LayoutDate, LayoutWCF,
	"2006-01-02T15:04:05Z0700",           // Litmos "+0000" without colon (SAP examples: https://api.sap.com/api/LitmosAPIdetails/overview)
	"2006-01-02T15:04:05.999999999Z0700", // ... with fraction
	"2006-01-02T15:04:05.999999999",      // no zone (read as UTC)
	"2006-01-02 15:04:05",                // BambooHR webhook API, UTC (https://documentation.bamboohr.com/reference/create-webhook)
}

type dateT struct {
	from       []string
	to         string
	emptyOnErr bool
}

// newDate parses a date and optionally formats it. Args:
//   - from: a layout or a list of layouts to try in order (default: RFC 3339
//     and the ISO variants, /Date(ms)/).
//   - to: the output layout; absent, the output is a time.Time. "unix" and
//     "unixms" give an int64.
//   - on_error: "fail" (default) or "empty" (an unparsable value becomes
//     empty, so a coalesce or default can take over).
//
// "0000-00-00" (BambooHR's empty date, undocumented; seen in
// https://github.com/faros-ai/airbyte-connectors/pull/592) and "" read as empty.
// Text without a zone reads as UTC.
func newDate(args Args) (Transform, error) {
	var a struct {
		From    json.RawMessage `json:"from"`
		To      string          `json:"to"`
		OnError string          `json:"on_error"`
	}
	if err := DecodeArgs(args, &a); err != nil {
		return nil, err
	}
	from, err := layoutList(a.From)
	if err != nil {
		return nil, err
	}
	t := dateT{from: from, to: a.To}
	for _, l := range from {
		if err := checkLayout(l); err != nil {
			return nil, err
		}
	}
	if t.to != "" {
		if err := checkLayout(t.to); err != nil {
			return nil, err
		}
	}
	switch a.OnError {
	case "", "fail":
	case "empty":
		t.emptyOnErr = true
	default:
		return nil, fmt.Errorf("argument \"on_error\": want \"fail\" or \"empty\", got %q", a.OnError)
	}
	return t, nil
}

func layoutList(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		if one == "" {
			return nil, errors.New("argument \"from\": empty layout")
		}
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		return nil, errors.New("argument \"from\": want a layout or a non-empty list of layouts")
	}
	return list, nil
}

func checkLayout(l string) error {
	if _, named := namedLayouts[l]; named || isEpoch(l) || l == LayoutWCF {
		return nil
	}
	// A layout with no element formats any time as itself.
	probe := time.Date(1999, 11, 28, 21, 37, 48, 123456789, time.FixedZone("", 5*3600))
	if probe.Format(l) == l {
		return fmt.Errorf("layout %q has no date or time elements (use a Go layout like \"2006-01-02\" or a named one: date, rfc3339, unix, unixms, wcf, talentlms)", l)
	}
	return nil
}

func (t dateT) Apply(v any) (any, error) {
	if list, ok := v.([]any); ok {
		return eachElement(list, t)
	}
	tm, ok, err := t.parse(v)
	if err != nil {
		if t.emptyOnErr {
			return nil, nil
		}
		return nil, err
	}
	if !ok {
		return nil, nil
	}
	return formatTime(tm, t.to), nil
}

// parse returns ok=false for an empty value.
func (t dateT) parse(v any) (time.Time, bool, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return x, !x.IsZero(), nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" || strings.HasPrefix(s, "0000-00-00") {
			return time.Time{}, false, nil
		}
		return t.parseText(s)
	}
	if f, ok := number(v); ok {
		for _, l := range t.from {
			if isEpoch(l) {
				tm, err := fromEpoch(f, l)
				return tm, err == nil, err
			}
		}
		return time.Time{}, false, errors.New("a number is a date only with from \"unix\" or \"unixms\"")
	}
	return time.Time{}, false, wrongType("date text", v)
}

func (t dateT) parseText(s string) (time.Time, bool, error) {
	layouts := t.from
	if len(layouts) == 0 {
		layouts = defaultFrom
	}
	for _, l := range layouts {
		if tm, err := parseLayout(s, l); err == nil {
			return tm, true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("cannot parse as a date with layouts %s", strings.Join(layouts, ", "))
}

func parseLayout(s, l string) (time.Time, error) {
	if isEpoch(l) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, errors.New("not a number")
		}
		return fromEpoch(f, l)
	}
	if l == LayoutWCF {
		return parseWCF(s)
	}
	if g, ok := namedLayouts[l]; ok {
		l = g
	}
	return time.Parse(l, s)
}

// isEpoch reports whether l is a timestamp layout (unix or unixms), whose
// values are numbers rather than text.
func isEpoch(l string) bool { return l == LayoutUnix || l == LayoutUnixMilli }

// The epoch seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: a
// timestamp outside them is a unit mix-up (milliseconds read as seconds)
// or garbage, not a date.
const (
	minEpoch = -62167219200
	maxEpoch = 253402300799
)

// fromEpoch reads seconds or milliseconds since 1970 (layout l), refusing
// values outside years 0000..9999 (and NaN) instead of wrapping around.
func fromEpoch(f float64, l string) (time.Time, error) {
	lo, hi := float64(minEpoch), float64(maxEpoch)
	if l == LayoutUnixMilli {
		lo, hi = lo*1000, hi*1000
	}
	if !(f >= lo && f <= hi) {
		return time.Time{}, fmt.Errorf("timestamp out of range for %s (years 0000 to 9999)", l)
	}
	if l == LayoutUnixMilli {
		return time.UnixMilli(int64(f)).UTC(), nil
	}
	return time.Unix(int64(f), 0).UTC(), nil
}

// parseWCF reads /Date(ms)/ and /Date(ms+hhmm)/; the slashes may arrive
// escaped (\/Date(...)\/).
func parseWCF(s string) (time.Time, error) {
	s = strings.ReplaceAll(s, `\/`, "/")
	body, ok := strings.CutPrefix(s, "/Date(")
	if !ok {
		return time.Time{}, errors.New("not /Date(ms)/")
	}
	body, ok = strings.CutSuffix(body, ")/")
	if !ok {
		return time.Time{}, errors.New("not /Date(ms)/")
	}
	zone := ""
	if i := strings.LastIndexAny(body, "+-"); i > 0 {
		body, zone = body[:i], body[i:]
	}
	ms, err := strconv.ParseInt(body, 10, 64)
	if err != nil {
		return time.Time{}, errors.New("not /Date(ms)/")
	}
	tm := time.UnixMilli(ms).UTC()
	if zone == "" {
		return tm, nil
	}
	off, err := parseOffset(zone)
	if err != nil {
		return time.Time{}, err
	}
	return tm.In(time.FixedZone("", off)), nil
}

func parseOffset(z string) (int, error) {
	if len(z) != 5 {
		return 0, errors.New("bad zone offset in /Date()/")
	}
	h, err1 := strconv.Atoi(z[1:3])
	m, err2 := strconv.Atoi(z[3:5])
	if err1 != nil || err2 != nil || h > 23 || m > 59 {
		return 0, errors.New("bad zone offset in /Date()/")
	}
	off := h*3600 + m*60
	if z[0] == '-' {
		off = -off
	}
	return off, nil
}

func formatTime(tm time.Time, to string) any {
	switch to {
	case "":
		return tm
	case LayoutUnix:
		return tm.Unix()
	case LayoutUnixMilli:
		return tm.UnixMilli()
	case LayoutWCF:
		// JSON request dates as /Date(ms)/, no zone (recorded:
		// https://github.com/charliequinn/python-litmos-api).
		return "/Date(" + strconv.FormatInt(tm.UnixMilli(), 10) + ")/"
	}
	if g, ok := namedLayouts[to]; ok {
		to = g
	}
	return tm.Format(to)
}

// Invert swaps a single input layout with the output layout.
func (t dateT) Invert() (*Step, error) {
	if len(t.from) != 1 {
		return nil, errors.New("date needs exactly one \"from\" layout to be reversed")
	}
	if t.emptyOnErr {
		return nil, errors.New("date with on_error \"empty\" drops values")
	}
	if err := lossless(t.from[0], t.to); err != nil {
		return nil, err
	}
	s := T("date", "to", t.from[0])
	if t.to != "" {
		s.Args["from"] = t.to
	}
	return &s, nil
}

// lossless reports an error when formatting with layout to drops
// something that layout from carries (the time of day, the zone offset,
// the day), so that reading the output back would not give the input.
// It round-trips a probe time with every element set.
func lossless(from, to string) error {
	probe := time.Date(1999, 11, 28, 21, 37, 48, 0, time.FixedZone("", 5*3600+1800))
	t1, err := throughLayout(probe, from)
	if err != nil {
		return fmt.Errorf("layout %q does not read back what it writes", from)
	}
	t2, err := throughLayout(t1, to)
	if err != nil || !t2.Equal(t1) {
		return fmt.Errorf("layout %q loses what %q carries (%s is written as %v)",
			to, from, t1.Format(time.RFC3339), formatTime(t1, to))
	}
	return nil
}

// throughLayout formats tm with layout l and parses the result back.
func throughLayout(tm time.Time, l string) (time.Time, error) {
	switch v := formatTime(tm, l).(type) {
	case time.Time:
		return v, nil
	case int64:
		return fromEpoch(float64(v), l)
	case string:
		return parseLayout(v, l)
	}
	return time.Time{}, errors.New("unexpected format result")
}
