package syncenginetest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// Put stores a copy of rec in c, bypassing faults, the call log, scope and
// constraints, and returns its id (rec.ID, or a new id when empty). It
// records a change, so Changes reports it.
func (k *Connector) Put(c syncengine.Collection, rec syncengine.Record) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	rec = cloneRecord(rec)
	if rec.ID == "" {
		rec.ID = k.newID()
	}
	k.store(c, rec)
	return rec.ID
}

// Delete removes the record id from c (a hard delete, as when a system
// purges a record) and reports whether it was there.
func (k *Connector) Delete(c syncengine.Collection, id string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.data[c][id]; !ok {
		return false
	}
	delete(k.data[c], id)
	k.seq++
	k.changes = append(k.changes, change{seq: k.seq, collection: c, id: id})
	return true
}

// Records returns copies of every record in c, in scope or not, in id order.
func (k *Connector) Records(c syncengine.Collection) []syncengine.Record {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]syncengine.Record, 0, len(k.data[c]))
	for _, r := range k.data[c] {
		out = append(out, cloneRecord(r))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Record returns a copy of the record id in c, in scope or not, without
// logging a call or consulting faults.
func (k *Connector) Record(c syncengine.Collection, id string) (syncengine.Record, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r, ok := k.data[c][id]
	return cloneRecord(r), ok
}

func cloneRecord(r syncengine.Record) syncengine.Record {
	r.Fields = cloneFields(r.Fields)
	r.Refs = cloneRefs(r.Refs)
	return r
}

func cloneFields(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for f, v := range m {
		out[f] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneFields(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneValue(e)
		}
		return out
	case []string:
		return append([]string(nil), v...)
	default:
		return v
	}
}

func cloneRefs(m map[string][]syncengine.Ref) map[string][]syncengine.Ref {
	if m == nil {
		return nil
	}
	out := make(map[string][]syncengine.Ref, len(m))
	for role, rs := range m {
		out[role] = append([]syncengine.Ref{}, rs...)
	}
	return out
}

// Duplicates returns the values of field held by more than one record of
// c (in scope or not), each with the ids holding it in id order. Values of
// WithFindFold fields are compared folded and keyed lower-cased and trimmed.
// A sync that created no duplicates leaves it empty.
func (k *Connector) Duplicates(c syncengine.Collection, field string) map[string][]string {
	k.mu.Lock()
	defer k.mu.Unlock()
	byValue := map[string][]string{}
	for id, r := range k.data[c] {
		v, ok := r.Fields[field]
		if !ok || v == nil {
			continue
		}
		key := fmt.Sprint(v)
		if k.fold[field] {
			key = strings.ToLower(strings.TrimSpace(key))
		}
		byValue[key] = append(byValue[key], id)
	}
	for key, ids := range byValue {
		if len(ids) < 2 {
			delete(byValue, key)
			continue
		}
		sort.Strings(ids)
	}
	return byValue
}
