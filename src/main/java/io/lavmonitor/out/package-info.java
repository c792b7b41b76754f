/**
 * What people look at: the HTTP endpoint with metrics, the camera API, the archived frames an
 * alert names, the live page, and a screenshot of it.
 */
package io.lavmonitor.out;
