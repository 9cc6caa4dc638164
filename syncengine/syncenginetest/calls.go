package syncenginetest

import (
	"context"

	"github.com/rostersync/rostersync/syncengine"
)

// Op names a connector operation in the call log and in fault rules.
type Op string

// The operations of the in-memory connector.
const (
	OpList      Op = "list"
	OpGet       Op = "get"
	OpCreate    Op = "create"
	OpUpdate    Op = "update"
	OpSetActive Op = "set-active"
	OpChanges   Op = "changes"
	OpFind      Op = "find"
	// OpFindMany is one ManyFinder call, whatever the number of values.
	OpFindMany  Op = "find-many"
	OpWriteRefs Op = "write-refs"
	// OpWrite is RecordWriter's one-call write of fields, active and refs.
	OpWrite Op = "write"
	// OpBulkCreate is one BulkCreator call, whatever the number of records.
	OpBulkCreate Op = "bulk-create"
)

// IsWrite reports whether op changes data (create, update, set-active, write-refs).
func (op Op) IsWrite() bool {
	switch op {
	case OpCreate, OpUpdate, OpSetActive, OpWriteRefs, OpWrite, OpBulkCreate:
		return true
	}
	return false
}

func (op Op) capability() syncengine.Capability {
	switch op {
	case OpList:
		return syncengine.CanList
	case OpGet:
		return syncengine.CanGet
	case OpCreate:
		return syncengine.CanCreate
	case OpUpdate:
		return syncengine.CanUpdate
	case OpSetActive:
		return syncengine.CanSetActive
	case OpChanges:
		return syncengine.CanListChanges
	case OpFind:
		return syncengine.CanFind
	case OpFindMany:
		return syncengine.CanFindMany
	case OpWrite:
		return syncengine.CanWriteRecord
	case OpBulkCreate:
		return syncengine.CanCreateBulk
	default:
		return syncengine.CanWriteRefs
	}
}

// Call is one entry of the call log.
type Call struct {
	Op         Op
	Collection syncengine.Collection
	// ID is the record id (for a create, the id assigned, if it was applied).
	ID string
	// Fields: a create's fields, an update's changed fields, a find's
	// {field: value}, a find-many's {field: values}.
	Fields map[string]any
	// Active is set-active's argument.
	Active *bool
	// Refs is write-refs' argument, a write's refs, or a create's.
	Refs map[string][]syncengine.Ref
	// Base reports whether a write was given the record the plan read.
	Base bool
	// Records counts a bulk create's records; Created lists the ids it made.
	Records int
	Created []string
	// Applied reports whether a write changed the store (true also for a
	// write whose injected fault hid its success).
	Applied bool
	// Fault is the injected fault, "" for none.
	Fault FaultKind
	// Err is what the call returned.
	Err error
}

// Calls returns a copy of the call log, oldest first.
func (k *Connector) Calls() []Call {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Call(nil), k.faults.calls...)
}

// Count returns how many logged calls match (nil matches all).
func (k *Connector) Count(match func(Call) bool) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for _, c := range k.faults.calls {
		if match == nil || match(c) {
			n++
		}
	}
	return n
}

// Writes returns how many write calls were made (applied or not).
func (k *Connector) Writes() int { return k.Count(func(c Call) bool { return c.Op.IsWrite() }) }

// AppliedWrites returns how many write calls changed the store.
func (k *Connector) AppliedWrites() int { return k.Count(func(c Call) bool { return c.Applied }) }

// Reads returns how many read calls (list, get, changes, find) were made.
func (k *Connector) Reads() int { return k.Count(func(c Call) bool { return !c.Op.IsWrite() }) }

// ResetCalls empties the call log.
func (k *Connector) ResetCalls() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.faults.calls = nil
}

// do runs one logged operation under the lock: context and capability
// checks, then fault injection around apply.
func (k *Connector) do(ctx context.Context, call Call, apply func(*Call) error) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	err := k.run(ctx, &call, apply)
	call.Err = err
	k.faults.calls = append(k.faults.calls, call)
	return err
}

func (k *Connector) run(ctx context.Context, call *Call, apply func(*Call) error) error {
	if err := ctx.Err(); err != nil {
		return k.errorf(call.Op, call.Collection, call.ID, err)
	}
	if !k.caps[call.Collection].Has(call.Op.capability()) {
		return k.errorf(call.Op, call.Collection, call.ID, syncengine.ErrUnsupported)
	}
	f := k.pickFault(*call)
	call.Fault = f.Kind
	if f.Kind != "" && !f.Kind.applies() {
		return k.errorf(call.Op, call.Collection, call.ID, f.err())
	}
	if err := apply(call); err != nil {
		return err
	}
	call.Applied = call.Op.IsWrite()
	var hookErr error
	if call.Applied {
		hookErr = k.afterWrite(*call)
	}
	if f.Kind != "" {
		return k.errorf(call.Op, call.Collection, call.ID, f.err())
	}
	if hookErr != nil {
		return k.errorf(call.Op, call.Collection, call.ID, hookErr)
	}
	return nil
}
