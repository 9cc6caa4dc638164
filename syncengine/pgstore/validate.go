package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rostersync/rostersync/syncengine"
)

// The checks of what the store is given, as the syncengine stores make
// them (RunStoreTests holds every store to the same refusals), plus one
// of PostgreSQL's: text cannot hold a NUL byte.

func checkPair(ctx context.Context, op, pair string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if pair == "" {
		return fmt.Errorf("pgstore: %s: empty pair name", op)
	}
	if err := checkText("pair name", pair); err != nil {
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	return nil
}

// checkText refuses strings PostgreSQL text (and jsonb) cannot hold as
// they are: invalid UTF-8 and NUL bytes.
func checkText(what string, ss ...string) error {
	for _, s := range ss {
		switch {
		case !utf8.ValidString(s):
			return fmt.Errorf("%s %q is not valid UTF-8", what, s)
		case strings.IndexByte(s, 0) >= 0:
			return fmt.Errorf("%s %q holds a NUL byte, which PostgreSQL text cannot store", what, s)
		}
	}
	return nil
}

func checkLink(l syncengine.Link) error {
	if err := syncengine.CheckLink(l); err != nil {
		return err
	}
	if err := checkText("link", string(l.Collection), l.AID, l.BID); err != nil {
		return err
	}
	for k, v := range l.Synced {
		if err := checkText("synced value", k, v); err != nil {
			return fmt.Errorf("%s link %q: %w", l.Collection, l.AID, err)
		}
	}
	return nil
}

func checkCursor(name, value string) error {
	if name == "" {
		return errors.New("empty cursor name")
	}
	return checkText("cursor", name, value)
}

func checkLookupKey(key string) error {
	if key == "" {
		return errors.New("empty lookup key")
	}
	return checkText("lookup key", key)
}

func checkDue(d syncengine.Due) error {
	if err := checkText("due time", string(d.Collection), string(d.Side), d.ID, d.Kind); err != nil {
		return err
	}
	switch {
	case d.Collection == "" || d.ID == "" || d.Kind == "":
		return fmt.Errorf("due %+v needs a collection, an id and a kind", d)
	case d.Side != syncengine.SideA && d.Side != syncengine.SideB:
		return fmt.Errorf("due %+v: side %q is not %q or %q", d, d.Side, syncengine.SideA, syncengine.SideB)
	case d.At.IsZero():
		return fmt.Errorf("due %+v has no time", d)
	}
	return nil
}

func checkPendings(ps []syncengine.Pending) error {
	for _, p := range ps {
		if err := checkText("pending entry", string(p.Collection), string(p.Side), p.ID); err != nil {
			return err
		}
		switch {
		case p.Collection == "" || p.ID == "":
			return errors.New("pending entry needs a collection and an id")
		case p.Side != syncengine.SideA && p.Side != syncengine.SideB:
			return fmt.Errorf("pending %s %q: side %q is not %q or %q", p.Collection, p.ID, p.Side, syncengine.SideA, syncengine.SideB)
		}
	}
	return nil
}

// keepText makes s storable without refusing it: a run's error text may
// quote a vendor's bytes, and the run is kept, not refused.
func keepText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
