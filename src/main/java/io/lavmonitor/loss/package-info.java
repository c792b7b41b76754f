/** LAV's losses: Soft-DTW alignment, the temporal regularisers (C-IDM, IDM, SFA), and DJL's. */
package io.lavmonitor.loss;
