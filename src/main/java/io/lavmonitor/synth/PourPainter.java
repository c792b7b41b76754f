package io.lavmonitor.synth;

import static io.lavmonitor.synth.Scene.lerp;
import static io.lavmonitor.synth.Scene.seg;
import static io.lavmonitor.synth.StationPainter.done;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;

/** Grasp a jug, pour into a cup, stir, put the lid on. */
final class PourPainter implements StationPainter {
  private static final double[] JUG = {0.22, 0.42};
  private static final double[] POUR_AT = {0.38, 0.47};
  private static final double[] CUP = {0.5, 0.58};
  private static final double[] SPOON = {0.7, 0.74};
  private static final double[] LID = {0.7, 0.3};

  @Override
  public void paint(Graphics2D g, Plan.Shot s, Variation v, double time) {
    Scene.background(g, v, 0);
    int p = s.phase();
    double u = s.u();
    boolean missing = s.missingPart();
    double level = missing ? 0 : done(s, 1) ? 0.8 : p == 1 ? 0.8 * seg(u, 0.25, 0.8) : 0;
    boolean lidOn = done(s, 3) || (p == 3 && u > 0.9);
    double[] hand = Scene.idleHand(time);
    double[] jug = JUG;
    double tilt = 0;
    double[] spoon = SPOON;
    double[] lid = LID;
    boolean spoonInCup = false;
    if (p == 0) {
      hand = u < 0.6 ? lerp(Scene.REST, JUG, seg(u, 0, 0.6)) : lerp(JUG, POUR_AT, seg(u, 0.6, 1));
      jug = u < 0.6 ? JUG : hand;
    } else if (p == 1) {
      jug = POUR_AT;
      hand = POUR_AT;
      tilt = u < 0.2 ? seg(u, 0, 0.2) : u < 0.8 ? 1 : 1 - seg(u, 0.8, 1);
    } else if (p == 2) {
      if (u < 0.2) {
        jug = lerp(POUR_AT, JUG, seg(u, 0, 0.2));
        hand = jug;
      } else if (u < 0.35) {
        hand = lerp(JUG, SPOON, seg(u, 0.2, 0.35));
      } else if (u < 0.45) {
        hand = lerp(SPOON, CUP, seg(u, 0.35, 0.45));
        spoon = hand;
      } else if (u < 0.9) {
        double a = 6 * Math.PI * (u - 0.45);
        hand = new double[] {CUP[0] + 0.03 * Math.cos(a), CUP[1] + 0.03 * Math.sin(a)};
        spoon = hand;
        spoonInCup = true;
      } else {
        hand = lerp(CUP, SPOON, seg(u, 0.9, 1));
        spoon = hand;
      }
    } else if (p == 3) {
      hand = u < 0.4 ? lerp(Scene.REST, LID, seg(u, 0, 0.4))
          : u < 0.9 ? lerp(LID, CUP, seg(u, 0.4, 0.9)) : CUP;
      lid = u < 0.4 ? LID : hand;
    } else if (p != Plan.IDLE && done(s, 0) && !done(s, 2)) {
      jug = POUR_AT;
    }
    // Cup with its contents.
    g.setColor(new Color(235, 235, 240));
    g.fill(new Ellipse2D.Double(CUP[0] - 0.07, CUP[1] - 0.07, 0.14, 0.14));
    g.setColor(new Color(190, 190, 200));
    g.setStroke(new BasicStroke(0.006f));
    g.draw(new Ellipse2D.Double(CUP[0] - 0.07, CUP[1] - 0.07, 0.14, 0.14));
    if (level > 0) {
      double r = 0.06 * Math.sqrt(level);
      g.setColor(v.part.darker());
      g.fill(new Ellipse2D.Double(CUP[0] - r, CUP[1] - r, 2 * r, 2 * r));
    }
    if (p == 1 && !missing && u > 0.25 && u < 0.8) {
      g.setColor(v.part);
      g.setStroke(new BasicStroke(0.012f));
      g.draw(new Line2D.Double(POUR_AT[0] + 0.07, POUR_AT[1] + 0.02, CUP[0], CUP[1] - 0.01));
    }
    drawSpoon(g, spoon, spoonInCup);
    if (lidOn) {
      drawLid(g, CUP);
    } else {
      drawLid(g, lid);
    }
    drawJug(g, v, jug, tilt, missing);
    if (s.foreign()) {
      Scene.intruder(g, v, s.foreignU());
    }
    Scene.arm(g, v, hand);
  }

  private static void drawJug(Graphics2D g, Variation v, double[] at, double tilt,
                              boolean empty) {
    AffineTransform keep = g.getTransform();
    g.translate(at[0], at[1]);
    g.rotate(tilt * 0.95);
    g.setColor(new Color(120, 150, 175));
    g.fill(new RoundRectangle2D.Double(-0.05, -0.07, 0.1, 0.14, 0.03, 0.03));
    g.setColor(empty ? new Color(150, 175, 195) : v.part.darker());
    g.fill(new RoundRectangle2D.Double(-0.035, -0.05, 0.07, 0.09, 0.02, 0.02));
    g.setColor(new Color(90, 110, 130));
    g.fill(new RoundRectangle2D.Double(0.05, -0.02, 0.03, 0.015, 0.005, 0.005));
    g.setTransform(keep);
  }

  private static void drawSpoon(Graphics2D g, double[] at, boolean inCup) {
    g.setColor(new Color(200, 200, 205));
    g.setStroke(new BasicStroke(0.008f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(new Line2D.Double(at[0], at[1], at[0] + 0.07, at[1] + (inCup ? 0.05 : 0.02)));
    g.fill(new Ellipse2D.Double(at[0] - 0.012, at[1] - 0.01, 0.024, 0.02));
  }

  private static void drawLid(Graphics2D g, double[] at) {
    g.setColor(new Color(60, 60, 64));
    g.fill(new Ellipse2D.Double(at[0] - 0.075, at[1] - 0.075, 0.15, 0.15));
    g.setColor(new Color(95, 95, 100));
    g.fill(new Ellipse2D.Double(at[0] - 0.02, at[1] - 0.02, 0.04, 0.04));
  }
}
