/** {@code lav experiment}: the paper's tables on our data, resumable, with figures. */
package io.lavmonitor.experiment;
