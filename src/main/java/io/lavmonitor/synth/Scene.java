package io.lavmonitor.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;

/**
 * The parts of the workstation every task shares, drawn in world units (the table spans the
 * unit square, seen from above): floor, table, conveyor, clutter, the worker's arm, and an
 * intruder for the foreign-object anomaly.
 */
final class Scene {
  static final double[] REST = {0.45, 0.86};

  private Scene() {}

  static void background(Graphics2D g, Variation v, double belt) {
    g.setColor(v.floor);
    g.fill(new Rectangle2D.Double(-0.5, -0.5, 2, 2));
    g.setColor(v.table);
    g.fill(new Rectangle2D.Double(0.04, 0.06, 0.76, 0.9));
    // Wood grain: faint darker lines.
    g.setColor(v.table.darker());
    g.setStroke(new BasicStroke(0.004f));
    for (int i = 0; i < 7; i++) {
      double y = 0.1 + i * 0.125;
      g.draw(new Line2D.Double(0.05, y, 0.79, y + 0.015 * Math.sin(i * 1.7)));
    }
    // Conveyor: dark belt with cross slats that move with the belt.
    g.setColor(new Color(45, 45, 48));
    g.fill(new Rectangle2D.Double(0.82, -0.1, 0.18, 1.2));
    g.setColor(new Color(80, 80, 84));
    g.setStroke(new BasicStroke(0.008f));
    double offset = (belt * 0.5) % 0.08;
    for (double y = -0.1 - offset; y < 1.1; y += 0.08) {
      g.draw(new Line2D.Double(0.83, y, 0.99, y));
    }
    g.setColor(new Color(120, 120, 125));
    g.fill(new Rectangle2D.Double(0.81, -0.1, 0.012, 1.2));
    for (double[] c : v.clutter) {
      g.setColor(new Color((int) c[4]));
      if (c[5] > 0) {
        g.fill(new Ellipse2D.Double(c[0], c[1], c[2], c[2]));
      } else {
        g.fill(new Rectangle2D.Double(c[0], c[1], c[2], c[3]));
      }
    }
  }

  /** The worker's arm from below the frame to the hand at (x, y); drawn over what it covers. */
  static void arm(Graphics2D g, Variation v, double x, double y, Color sleeve) {
    double sx = 0.5 + (x - 0.45) * 0.3;
    double sy = 1.25;
    g.setStroke(new BasicStroke(0.085f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.setColor(sleeve);
    double ex = x + (sx - x) * 0.25;
    double ey = y + (sy - y) * 0.25;
    g.draw(new Line2D.Double(sx, sy, ex, ey));
    g.setStroke(new BasicStroke(0.055f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.setColor(v.skin.darker());
    g.draw(new Line2D.Double(ex, ey, x + (ex - x) * 0.3, y + (ey - y) * 0.3));
    AffineTransform keep = g.getTransform();
    g.translate(x, y);
    g.rotate(Math.atan2(y - sy, x - sx) + Math.PI / 2);
    g.setColor(v.skin);
    g.fill(new Ellipse2D.Double(-0.035, -0.045, 0.07, 0.075));
    g.setColor(v.skin.darker());
    g.setStroke(new BasicStroke(0.006f));
    for (int f = -1; f <= 1; f++) {
      g.draw(new Line2D.Double(f * 0.015, -0.035, f * 0.018, -0.055));
    }
    g.setTransform(keep);
  }

  static void arm(Graphics2D g, Variation v, double[] at) {
    arm(g, v, at[0], at[1], v.sleeve);
  }

  /** A second person reaching in from the left with a phone, in and out again over w in [0, 1]. */
  static void intruder(Graphics2D g, Variation v, double w) {
    double reach = Math.sin(Math.PI * w);
    double x = -0.15 + 0.55 * reach;
    double y = 0.32 + 0.05 * Math.sin(5 * w);
    g.setStroke(new BasicStroke(0.1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.setColor(new Color(150, 60, 40));
    g.draw(new Line2D.Double(-0.4, 0.2, x - 0.05, y));
    g.setColor(v.skin);
    g.fill(new Ellipse2D.Double(x - 0.05, y - 0.04, 0.08, 0.07));
    g.setColor(new Color(20, 20, 25));
    g.fill(new RoundRectangle2D.Double(x - 0.01, y - 0.06, 0.05, 0.09, 0.01, 0.01));
  }

  /** Linear interpolation between points. */
  static double[] lerp(double[] a, double[] b, double w) {
    return new double[] {a[0] + (b[0] - a[0]) * w, a[1] + (b[1] - a[1]) * w};
  }

  /** Progress of u through [a, b], eased in and out (hands accelerate and brake). */
  static double seg(double u, double a, double b) {
    double w = Math.max(0, Math.min(1, (u - a) / (b - a)));
    return w * w * (3 - 2 * w);
  }

  static double[] idleHand(double time) {
    return new double[] {REST[0] + 0.012 * Math.sin(time * 0.9), REST[1] + 0.008
        * Math.sin(time * 1.3)};
  }
}
