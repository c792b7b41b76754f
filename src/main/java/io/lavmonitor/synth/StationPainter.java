package io.lavmonitor.synth;

import java.awt.Graphics2D;

/** Draws one frame of a task's scene in world units, from the plan's shot. */
interface StationPainter {
  void paint(Graphics2D g, Plan.Shot shot, Variation v, double time);

  static StationPainter of(Task task) {
    return switch (task) {
      case ASSEMBLY -> new AssemblyPainter();
      case POUR -> new PourPainter();
      case PRESS -> new PressPainter();
    };
  }

  static boolean done(Plan.Shot s, int phase) {
    return (s.doneMask() & (1 << phase)) != 0;
  }
}
