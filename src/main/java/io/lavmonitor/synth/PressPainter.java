package io.lavmonitor.synth;

import static io.lavmonitor.synth.Scene.lerp;
import static io.lavmonitor.synth.Scene.seg;
import static io.lavmonitor.synth.StationPainter.done;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/** Load a blank into the press, close the guard, press, open the guard, unload onto the belt. */
final class PressPainter implements StationPainter {
  private static final double[] STACK = {0.15, 0.74};
  private static final double[] DIE = {0.5, 0.43};
  private static final double[] CONV = {0.91, 0.6};
  private static final double GUARD_OPEN = 0.36;

  @Override
  public void paint(Graphics2D g, Plan.Shot s, Variation v, double time) {
    int p = s.phase();
    double u = s.u();
    double belt = p == 4 ? 2 * seg(u, 0.8, 1.0) : 0;
    Scene.background(g, v, belt);
    boolean missing = s.missingPart();
    boolean loaded = !missing && (done(s, 0) || (p == 0 && u > 0.85)) && !done(s, 4);
    boolean formed = done(s, 2) || (p == 2 && u > 0.5);
    double guard = (done(s, 1) && !done(s, 3)) ? 0 : GUARD_OPEN;
    double ram = 0;
    double flash = 0;
    double[] hand = Scene.idleHand(time);
    double[] blank = loaded ? DIE : null;
    double[] handle;
    switch (p) {
      case 0 -> {
        hand = u < 0.35 ? lerp(Scene.REST, STACK, seg(u, 0, 0.35))
            : u < 0.85 ? lerp(STACK, DIE, seg(u, 0.35, 0.85)) : DIE;
        if (!missing && u >= 0.35 && u <= 0.85) {
          blank = hand;
        }
      }
      case 1, 3 -> {
        double from = p == 1 ? GUARD_OPEN : 0;
        double to = p == 1 ? 0 : GUARD_OPEN;
        guard = u < 0.4 ? from : from + (to - from) * seg(u, 0.4, 1);
        handle = new double[] {0.31 + guard, 0.52};
        hand = u < 0.4 ? lerp(Scene.REST, handle, seg(u, 0, 0.4)) : handle;
      }
      case 2 -> {
        guard = 0;
        ram = u < 0.45 ? seg(u, 0, 0.45) : u < 0.6 ? 1 : 1 - seg(u, 0.6, 1);
        flash = u > 0.42 && u < 0.55 ? 1 : 0;
        hand = new double[] {0.22, 0.8};
      }
      case 4 -> {
        hand = u < 0.35 ? lerp(Scene.REST, DIE, seg(u, 0, 0.35))
            : u < 0.8 ? lerp(DIE, CONV, seg(u, 0.35, 0.8)) : lerp(CONV, Scene.REST, seg(u, 0.8, 1));
        if (!missing && done(s, 0)) {
          blank = u < 0.35 ? DIE : u < 0.8 ? hand
              : new double[] {CONV[0], CONV[1] - 0.8 * seg(u, 0.8, 1)};
        }
      }
      default -> { }
    }
    // Stack of blanks.
    g.setColor(new Color(150, 155, 165));
    for (int i = 0; i < 4; i++) {
      g.fill(new Rectangle2D.Double(STACK[0] - 0.05 + 0.004 * i, STACK[1] - 0.04 - 0.006 * i, 0.1,
          0.08));
    }
    // Press frame, opening, die and ram.
    g.setColor(new Color(70, 75, 85));
    g.fill(new Rectangle2D.Double(0.28, 0.06, 0.44, 0.46));
    g.setColor(new Color(35, 37, 42));
    g.fill(new Rectangle2D.Double(0.33, 0.26, 0.34, 0.25));
    g.setColor(new Color(95, 95, 100));
    g.fill(new Rectangle2D.Double(DIE[0] - 0.08, DIE[1] - 0.02, 0.16, 0.07));
    if (blank != null) {
      drawBlank(g, blank, formed && blank == DIE || (p == 4 && formed));
    }
    double ramY = 0.1 + 0.22 * ram;
    g.setColor(new Color(120, 125, 135));
    g.fill(new Rectangle2D.Double(0.4, ramY, 0.2, 0.08));
    g.setColor(new Color(60, 60, 65));
    g.fill(new Rectangle2D.Double(0.47, 0.06, 0.06, ramY - 0.06));
    if (flash > 0) {
      g.setColor(new Color(255, 240, 180));
      g.setStroke(new BasicStroke(0.004f));
      for (int i = 0; i < 6; i++) {
        double a = i * Math.PI / 3 + time;
        g.draw(new Line2D.Double(DIE[0], DIE[1], DIE[0] + 0.05 * Math.cos(a),
            DIE[1] + 0.03 * Math.sin(a)));
      }
    }
    // Guard: a tinted panel with a yellow handle, slid over the opening or beside it.
    g.setColor(new Color(180, 200, 220, 90));
    g.fill(new Rectangle2D.Double(0.32 + guard, 0.25, 0.36, 0.28));
    g.setColor(new Color(230, 190, 30));
    g.fill(new Rectangle2D.Double(0.3 + guard, 0.48, 0.03, 0.06));
    if (s.foreign()) {
      Scene.intruder(g, v, s.foreignU());
    }
    Scene.arm(g, v, hand);
  }

  private static void drawBlank(Graphics2D g, double[] at, boolean formed) {
    g.setColor(new Color(185, 190, 200));
    g.fill(new Rectangle2D.Double(at[0] - 0.05, at[1] - 0.035, 0.1, 0.07));
    if (formed) {
      g.setColor(new Color(140, 145, 155));
      g.setStroke(new BasicStroke(0.006f));
      g.draw(new Ellipse2D.Double(at[0] - 0.025, at[1] - 0.025, 0.05, 0.05));
    }
  }
}
