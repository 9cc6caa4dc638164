package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/litmos"
)

// connect builds both clients from creds, first logging in to BambooHR
// when creds hold a login instead of an API key.
func connect(ctx context.Context, creds *credentials, stderr io.Writer) (*bamboohr.Client, *litmos.Client, error) {
	var hrOpts []bamboohr.Option
	if creds.hrBaseURL != "" {
		hrOpts = append(hrOpts, bamboohr.WithBaseURL(creds.hrBaseURL))
	}
	// Check every setting before a password is sent anywhere: New makes no
	// request, so a placeholder key only lets it check the subdomain and
	// base URL.
	if _, err := bamboohr.New(creds.hrSubdomain, "placeholder", hrOpts...); err != nil {
		return nil, nil, fmt.Errorf("%w: BambooHR settings: %w", errUsage, err)
	}
	var lmsOpts []litmos.Option
	if creds.lmsBaseURL != "" {
		lmsOpts = append(lmsOpts, litmos.WithBaseURL(creds.lmsBaseURL))
	}
	lms, err := litmos.New(creds.lmsKey, creds.lmsSource, lmsOpts...)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: Litmos settings: %w", errUsage, err)
	}
	key := creds.hrKey
	if creds.hrLogin != nil {
		if key, err = login(ctx, creds, hrOpts); err != nil {
			return nil, nil, err
		}
		fmt.Fprintln(stderr, "BambooHR: logged in; the API key it issued is kept in memory only, never saved or shown.")
	}
	hr, err := bamboohr.New(creds.hrSubdomain, key, hrOpts...)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: BambooHR settings: %w", errUsage, err)
	}
	return hr, lms, nil
}

// login exchanges creds.hrLogin for an API key with one call to BambooHR's
// Login API (bamboohr.md §2) and drops the login from creds whatever the
// outcome. The key lives only in this process's memory: it is never written,
// printed or logged. Go strings are immutable and cannot be wiped: dropping
// the reference lets the garbage collector reclaim the password, but copies
// may linger in memory until then, and the process environment still holds
// BAMBOOHR_PASSWORD for the life of the process.
func login(ctx context.Context, creds *credentials, opts []bamboohr.Option) (string, error) {
	defer func() { creds.hrLogin = nil }()
	// res.APIURL is ignored: the subdomain host (or BAMBOOHR_BASE_URL)
	// serves API keys (bamboohr.md §1), and apiUrl is optional (§2).
	res, err := bamboohr.Login(ctx, creds.hrSubdomain, *creds.hrLogin, opts...)
	switch {
	case errors.Is(err, bamboohr.ErrPasswordLoginDisabled):
		return "", fmt.Errorf("BambooHR login: create an API key in BambooHR (your name, then API Keys) and set %s "+
			"instead of the login variables: %w", keyEnv, err)
	case errors.Is(err, bamboohr.ErrLoginRefused):
		return "", fmt.Errorf("BambooHR login: check %s (BAMBOOHR_APPLICATION_KEY is a partner key from BambooHR), "+
			"or set %s instead: %w", strings.Join(loginEnv, ", "), keyEnv, err)
	case err != nil:
		return "", fmt.Errorf("BambooHR login: %w", err)
	}
	return res.Key.Reveal(), nil
}
