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

// wireConnectors tells each connector what the engine knows at New: the
// fields its maps read (FieldReader) and its cache (CacheUser).
func (e *Engine) wireConnectors() error {
	for _, s := range []Side{SideA, SideB} {
		conn := e.conn(s)
		if cu, ok := conn.(CacheUser); ok && e.cfg.CacheFor > 0 {
			cu.UseCache(storeCache{store: e.cfg.Store, pair: e.cfg.Pair, prefix: conn.Name() + ":",
				ttl: e.cfg.CacheFor, now: e.cfg.Now})
		}
		fr, ok := conn.(FieldReader)
		if !ok {
			continue
		}
		for i := range e.cfg.Collections {
			cr := &e.cfg.Collections[i]
			r := e.rules(cr, s.other())
			if r == nil {
				continue
			}
			sf, ok := r.Map.(SourceFielder)
			if !ok {
				continue // no map (fields copied as they are) or one that cannot say: the connector reads its default
			}
			if err := fr.ReadFields(cr.Collection, sf.SourceFields()); err != nil {
				return fmt.Errorf("%w: %s cannot read the fields the %s map reads: %v", ErrConfig, conn.Name(), cr.Collection, err)
			}
		}
	}
	return nil
}
