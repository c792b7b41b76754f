/** Arrays and labels on disk (.npy, .csv, JSON) and the one-line input errors. */
package io.lavmonitor.io;
