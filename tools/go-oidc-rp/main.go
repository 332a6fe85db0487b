// A relying party as Go services and command-line tools write one: go-oidc's discovery and
// oidc.NewVerifier with its defaults (RS256 only), golang.org/x/oauth2 for the code exchange
// (PKCE) and the device authorization grant (RFC 8628, polling with slow_down). Driven by
// test/http/goOidc.test.ts: it prints JSON lines on stdout and reads the callback on stdin.
//
//	go-oidc-rp -mode code   -issuer URL -client ID -secret S -redirect URL
//	go-oidc-rp -mode device -issuer URL -client ID
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

func main() {
	mode := flag.String("mode", "code", "code or device")
	issuer := flag.String("issuer", "", "the OpenID Provider's issuer")
	clientID := flag.String("client", "", "client_id")
	secret := flag.String("secret", "", "client_secret (empty: a public client)")
	redirect := flag.String("redirect", "", "redirect_uri (code mode)")
	scopes := flag.String("scopes", "openid profile email", "scopes asked for")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, *mode, *issuer, *clientID, *secret, *redirect, strings.Fields(*scopes)); err != nil {
		emit(map[string]any{"error": err.Error()})
		os.Exit(1)
	}
}

func run(ctx context.Context, mode, issuer, clientID, secret, redirect string, scopes []string) error {
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := provider.Claims(&meta); err != nil {
		return err
	}
	// As most services do: the verifier's defaults, which accept RS256 ID tokens only.
	verifier := oidc.NewVerifier(issuer, oidc.NewRemoteKeySet(ctx, meta.JWKSURI), &oidc.Config{ClientID: clientID})
	config := oauth2.Config{ClientID: clientID, ClientSecret: secret, Endpoint: provider.Endpoint(), RedirectURL: redirect, Scopes: scopes}

	var token *oauth2.Token
	switch mode {
	case "code":
		token, err = codeFlow(ctx, config)
	case "device":
		token, err = deviceFlow(ctx, config)
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	if err != nil {
		return err
	}
	raw, ok := token.Extra("id_token").(string)
	if !ok {
		return errors.New("no id_token in the token response")
	}
	idToken, err := verifier.Verify(ctx, raw)
	if err != nil {
		return fmt.Errorf("id token: %w", err)
	}
	var claims map[string]any
	if err := idToken.Claims(&claims); err != nil {
		return err
	}
	info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(token))
	if err != nil {
		return fmt.Errorf("userinfo: %w", err)
	}
	emit(map[string]any{"claims": claims, "userinfo": map[string]any{"sub": info.Subject, "email": info.Email}})
	return nil
}

func codeFlow(ctx context.Context, config oauth2.Config) (*oauth2.Token, error) {
	state, nonce, pkce := random(), random(), oauth2.GenerateVerifier()
	emit(map[string]any{"authorize": config.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(pkce))})
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("reading the callback: %w", err)
	}
	callback, err := url.Parse(strings.TrimSpace(line))
	if err != nil {
		return nil, err
	}
	q := callback.Query()
	if q.Get("state") != state {
		return nil, errors.New("state does not match")
	}
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("authorization: %s", e)
	}
	return config.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(pkce))
}

func deviceFlow(ctx context.Context, config oauth2.Config) (*oauth2.Token, error) {
	auth, err := config.DeviceAuth(ctx)
	if err != nil {
		return nil, fmt.Errorf("device authorization: %w", err)
	}
	emit(map[string]any{"user_code": auth.UserCode, "verification_uri": auth.VerificationURI, "verification_uri_complete": auth.VerificationURIComplete, "interval": auth.Interval})
	// "Press Enter once you have confirmed", as some command lines ask: the test answers
	// after the person confirmed, so the first poll already finds the answer.
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return nil, fmt.Errorf("waiting for Enter: %w", err)
	}
	// Polls at the interval given, slower after each slow_down, until the person has answered.
	return config.DeviceAccessToken(ctx, auth)
}

func random() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func emit(v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}
