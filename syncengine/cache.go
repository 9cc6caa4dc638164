package syncengine

import (
	"context"
	"fmt"
	"time"
)

// storeCache is the Cache New hands connectors: values kept in the Store's
// lookups of the pair, under the connector's name, fresh for a while.
type storeCache struct {
	store  Store
	pair   string
	prefix string
	ttl    time.Duration
	now    func() time.Time
}

func (c storeCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	l, ok, err := c.store.Lookup(ctx, c.pair, c.prefix+key)
	if err != nil || !ok {
		return nil, false, err
	}
	if c.now().Sub(l.At) >= c.ttl {
		return nil, false, nil
	}
	return l.Value, true, nil
}

func (c storeCache) Put(ctx context.Context, key string, value []byte) error {
	return c.store.PutLookup(ctx, c.pair, c.prefix+key, Lookup{Value: value, At: c.now().UTC()})
}

// SourceFielder is implemented by FieldMaps that can list the source
// fields they read (mapping.Map does); New tells the source connector
// (a FieldReader) to read them.
type SourceFielder interface {
	SourceFields() []string
}

// TargetFielder is implemented by FieldMaps that can list the target
// fields they write (mapping.Map does); New tells the target connector (a
// FieldReader) to read just those, and the match keys' fields, for its
// records are only compared on them.
type TargetFielder interface {
	Targets() []string
}

// wireConnectors tells each connector what the engine knows at New: the
// fields it reads from it (FieldReader) and its cache (CacheUser); and
// asks it the reference roles it takes (RefRoler).
func (e *Engine) wireConnectors() error {
	for _, s := range []Side{SideA, SideB} {
		conn := e.conn(s)
		if cu, ok := conn.(CacheUser); ok && e.cfg.CacheFor > 0 {
			cu.UseCache(storeCache{store: e.cfg.Store, pair: e.cfg.Pair, prefix: conn.Name() + ":",
				ttl: e.cfg.CacheFor, now: e.cfg.Now})
		}
		if rr, ok := conn.(RefRoler); ok {
			byColl := map[Collection]map[string]bool{}
			for _, cr := range e.cfg.Collections {
				roles := rr.RefRoles(cr.Collection)
				if roles == nil {
					continue
				}
				byColl[cr.Collection] = map[string]bool{}
				for _, role := range roles {
					byColl[cr.Collection][role] = true
				}
			}
			e.roles[sideIndex(s)] = byColl
		}
		fr, ok := conn.(FieldReader)
		if !ok {
			continue
		}
		for i := range e.cfg.Collections {
			cr := &e.cfg.Collections[i]
			fields, known := e.fieldsReadFrom(cr, s)
			if !known {
				continue // a map that cannot say, or none: the connector reads its default
			}
			if err := fr.ReadFields(cr.Collection, fields); err != nil {
				return fmt.Errorf("%w: %s cannot read the fields the %s rules need: %v", ErrConfig, conn.Name(), cr.Collection, err)
			}
		}
	}
	return nil
}

// fieldsReadFrom lists the fields the engine reads from side s of cr: as a
// source, those its outgoing map reads; as a target, those the incoming
// map writes and the match keys compare. known is false when a map that
// is used cannot list its fields.
func (e *Engine) fieldsReadFrom(cr *CollectionRules, s Side) (fields []string, known bool) {
	used := false
	if r := e.rules(cr, s.other()); r != nil {
		sf, ok := r.Map.(SourceFielder)
		if !ok {
			return nil, false
		}
		fields, used = append(fields, sf.SourceFields()...), true
	}
	if r := e.rules(cr, s); r != nil {
		tf, ok := r.Map.(TargetFielder)
		if !ok {
			return nil, false
		}
		fields, used = append(fields, tf.Targets()...), true
		for _, k := range r.Match {
			if k.Field != "" {
				fields = append(fields, k.Field)
			}
		}
	}
	return fields, used
}
