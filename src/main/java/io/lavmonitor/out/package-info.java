/** What people look at: the HTTP endpoint with metrics, the camera API and the live page. */
package io.lavmonitor.out;
