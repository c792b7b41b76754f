/** Pictures: alignment plots, loss curves, contact sheets, distance matrices. */
package io.lavmonitor.plot;
