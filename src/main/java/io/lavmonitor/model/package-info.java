/** The model store: immutable versions with a card, sha256-checked weights, promotion. */
package io.lavmonitor.model;
