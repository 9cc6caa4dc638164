package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/litmos"
)

// realPair builds both clients from the environment, first logging in to
// BambooHR when it holds a login instead of an API key.
func realPair(ctx context.Context, env runner.Env, log io.Writer) (*runner.Pair, error) {
	sub := env.Get("BAMBOOHR_SUBDOMAIN")
	hrOpts := runner.OptionIf(env, "BAMBOOHR_BASE_URL", bamboohr.WithBaseURL)
	// New makes no request: with a placeholder key it checks the settings before any login.
	if _, err := bamboohr.New(sub, "placeholder", hrOpts...); err != nil {
		return nil, runner.Usagef("BambooHR settings: %w", err)
	}
	lms, err := litmos.New(env.Get("LITMOS_API_KEY"), env.Get("LITMOS_SOURCE"), runner.OptionIf(env, "LITMOS_BASE_URL", litmos.WithBaseURL)...)
	if err != nil {
		return nil, runner.Usagef("Litmos settings: %w", err)
	}
	key := env.Get("BAMBOOHR_API_KEY")
	if key == "" {
		if key, err = login(ctx, env, sub, hrOpts); err != nil {
			return nil, err
		}
		fmt.Fprintln(log, "BambooHR: logged in; the API key it issued is kept in memory only, never saved or shown.")
	}
	hr, err := bamboohr.New(sub, key, hrOpts...)
	if err != nil {
		return nil, runner.Usagef("BambooHR settings: %w", err)
	}
	return pair("BambooHR ("+hr.Subdomain()+") -> Litmos", hr, lms, env.Get("BAMBOOHR_ACCESS_FIELD")), nil
}

// login trades the login variables for an API key, kept in memory only, with
// one call to BambooHR's Login API (https://documentation.bamboohr.com/reference/login-3).
func login(ctx context.Context, env runner.Env, sub string, opts []bamboohr.Option) (string, error) {
	// The password is taken as given: spaces may be part of it. res.APIURL is
	// ignored: the subdomain host (or BAMBOOHR_BASE_URL) serves API keys.
	res, err := bamboohr.Login(ctx, sub, bamboohr.Credentials{User: env.Get("BAMBOOHR_USER"),
		Password: bamboohr.Secret(env.Raw("BAMBOOHR_PASSWORD")), ApplicationKey: bamboohr.Secret(env.Get("BAMBOOHR_APPLICATION_KEY"))}, opts...)
	switch {
	case errors.Is(err, bamboohr.ErrPasswordLoginDisabled):
		return "", fmt.Errorf("BambooHR login: create an API key in BambooHR (your name, then API Keys) and set "+
			"BAMBOOHR_API_KEY instead of the login variables: %w", err)
	case errors.Is(err, bamboohr.ErrLoginRefused):
		return "", fmt.Errorf("BambooHR login: check BAMBOOHR_USER, BAMBOOHR_PASSWORD, BAMBOOHR_APPLICATION_KEY "+
			"(a partner key from BambooHR), or set BAMBOOHR_API_KEY instead: %w", err)
	case err != nil:
		return "", fmt.Errorf("BambooHR login: %w", err)
	}
	return res.Key.Reveal(), nil
}
