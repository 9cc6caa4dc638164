package main

import (
	"net/url"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/jobs"
	"github.com/rostersync/rostersync/learnamp"
)

// realPair builds both clients from the environment. Neither makes a call
// here: a bad setting is refused naming the variable, never its value.
func realPair(env runner.Env, invite jobs.InvitePolicy) (*runner.Pair, error) {
	hr, err := hibob.New(env.Get("HIBOB_SERVICE_USER_ID"), env.Get("HIBOB_TOKEN"), runner.OptionIf(env, "HIBOB_BASE_URL", hibob.WithBaseURL)...)
	if err != nil {
		return nil, runner.Usagef("HiBob settings (HIBOB_SERVICE_USER_ID, HIBOB_TOKEN, HIBOB_BASE_URL): %w", err)
	}
	lmsOpts := runner.OptionIf(env, "LEARNAMP_BASE_URL", learnamp.WithBaseURL)
	if s := env.Get("LEARNAMP_SCOPES"); s != "" {
		if s != "sync" {
			return nil, runner.Usagef(`LEARNAMP_SCOPES: want "sync" (the scopes a user and team sync needs), or leave it unset for a legacy key`)
		}
		lmsOpts = append(lmsOpts, learnamp.WithScopes(learnamp.SyncScopes()...))
	}
	lms, err := learnamp.New(env.Get("LEARNAMP_CLIENT_ID"), env.Get("LEARNAMP_CLIENT_SECRET"), lmsOpts...)
	if err != nil {
		return nil, runner.Usagef("Learn Amp settings (LEARNAMP_CLIENT_ID, LEARNAMP_CLIENT_SECRET, LEARNAMP_BASE_URL): %w", err)
	}
	// The service user's ID names the company's state directory; it is an ID, not a secret.
	user := env.Get("HIBOB_SERVICE_USER_ID")
	host := lms.BaseURL()
	if u, err := url.Parse(host); err == nil && u.Host != "" {
		host = u.Host
	}
	about := "HiBob (service user " + user + ") -> Learn Amp (" + host + "), -invite " + string(invite)
	return pair(about, hr, lms, jobs.HiBobLearnAmpOptions{Invite: invite, Instance: runner.InstanceName(user)}), nil
}
