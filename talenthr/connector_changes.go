package talenthr

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// cursorPrefix starts every change cursor: its format, version 1.
const cursorPrefix = "thr1."

// Changes implements syncengine.ChangeLister. TalentHR has no webhooks
// and no updated-since filter, so each call reads the whole directory as
// List does (every employment state, the custom-field columns read: P =
// N/100+1 requests for N employees, rounded down before adding one) and
// compares every row with the cursor.
//
// The cursor is the previous directory itself, compact: per employee its
// id and 8 bytes, 63 bits of the row's Fingerprint and whether the
// employee was terminated that day, so about 10 bytes an employee (some
// 65 KB of text for 5,000). It needs no Store or Cache of its own and
// survives a cache flush. Reported are employees that are new, whose row
// changed (names, email, placement, manager, dates, phones, custom-field
// columns), whose termination date came since (the row does not change
// that day), and who vanished from the directory (the engine's Get then
// tells a deletion, 404, from the rest). A change only to a field outside
// the directory (city, birth date: the detail fields) shows only in a
// full sync. An empty cursor starts from now: no ids, and a cursor.
func (k *Connector) Changes(ctx context.Context, c syncengine.Collection, cursor string) ([]string, string, error) {
	if c != syncengine.Users {
		return nil, cursor, unsupported(c, "list changes of")
	}
	var prev map[uint64]uint64
	if cursor != "" {
		var err error
		if prev, err = decodeCursor(cursor); err != nil {
			return nil, cursor, fmt.Errorf("talenthr: list changes: %w", err)
		}
	}
	l, err := k.prepare(ctx, "list changes")
	if err != nil {
		return nil, cursor, err
	}
	poll, err := k.client.PollDirectory(ctx, DirectorySnapshot{}, l.params)
	if err != nil {
		return nil, cursor, err
	}
	now := make(map[uint64]uint64, len(poll.New))
	for _, row := range poll.New {
		id, err := strconv.ParseUint(row.ID, 10, 64)
		if err != nil || checkID(row.ID) != nil {
			continue
		}
		now[id] = rowState(poll.Snapshot.Employees[row.ID], row.Terminated(l.today))
	}
	next := encodeCursor(now)
	if cursor == "" {
		return nil, next, nil
	}
	return changedIDs(prev, now), next, nil
}

// rowState is 63 bits of fp with the terminated flag as the lowest bit.
func rowState(fp Fingerprint, terminated bool) uint64 {
	b, err := hex.DecodeString(string(fp)[:min(16, len(fp))])
	var s uint64
	if err == nil && len(b) == 8 {
		s = binary.BigEndian.Uint64(b)
	}
	s &^= 1
	if terminated {
		s |= 1
	}
	return s
}

// changedIDs lists, in numeric order, the ids new in now, changed, or
// gone from now.
func changedIDs(prev, now map[uint64]uint64) []string {
	var ids []uint64
	for id, s := range now {
		if p, ok := prev[id]; !ok || p != s {
			ids = append(ids, id)
		}
	}
	for id := range prev {
		if _, ok := now[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []string
	for _, id := range ids {
		out = append(out, strconv.FormatUint(id, 10))
	}
	return out
}

// cursorEncoding is strict, so a cursor decodes only from the one text
// encodeCursor makes of it.
var cursorEncoding = base64.RawURLEncoding.Strict()

// encodeCursor writes the states in id order: for each, the id's
// distance from the previous one (uvarint) and the state (8 bytes).
func encodeCursor(states map[uint64]uint64) string {
	buf := make([]byte, 0, len(states)*10)
	var last uint64
	for _, id := range slices.Sorted(maps.Keys(states)) {
		buf = binary.AppendUvarint(buf, id-last)
		buf = binary.BigEndian.AppendUint64(buf, states[id])
		last = id
	}
	return cursorPrefix + cursorEncoding.EncodeToString(buf)
}

var errCursor = errors.New("the change cursor is not one this connector made (run a full sync to start afresh)")

// decodeCursor reads a cursor encodeCursor made; anything else is an
// error that says so.
func decodeCursor(cursor string) (map[uint64]uint64, error) {
	body, ok := strings.CutPrefix(cursor, cursorPrefix)
	if !ok || strings.ContainsAny(body, "\r\n") { // the decoder skips line breaks
		return nil, errCursor
	}
	buf, err := cursorEncoding.DecodeString(body)
	if err != nil {
		return nil, errCursor
	}
	states := make(map[uint64]uint64, len(buf)/10)
	var id uint64
	for len(buf) > 0 {
		delta, n := binary.Uvarint(buf)
		if n <= 0 || n != len(binary.AppendUvarint(nil, delta)) || delta == 0 || id+delta < id || len(buf) < n+8 {
			return nil, errCursor
		}
		id += delta
		if checkID(strconv.FormatUint(id, 10)) != nil {
			return nil, errCursor
		}
		states[id] = binary.BigEndian.Uint64(buf[n : n+8])
		buf = buf[n+8:]
	}
	return states, nil
}
