package io.lavmonitor.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.monitor.RecentEvents;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP endpoint: bound where it is told, read-only. */
class HttpApiTest {
  @Test
  void servesGetAndHeadOnItsBindAddressAndRefusesEverythingElse() throws Exception {
    try (HttpApi http = new HttpApi("127.0.0.1", 0, new PrometheusMeterRegistry(
        PrometheusConfig.DEFAULT), Map::of, new RecentEvents(10))) {
      HttpClient web = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + http.port();
      HttpResponse<String> get = web.send(HttpRequest.newBuilder(URI.create(base
          + "/api/cameras")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, get.statusCode());
      assertEquals("[]", get.body());
      HttpResponse<String> head = web.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, head.statusCode());
      assertEquals("", head.body());
      for (String m : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
        for (String path : new String[] {"/", "/metrics", "/api/cameras", "/api/anomalies"}) {
          HttpResponse<String> r = web.send(HttpRequest.newBuilder(URI.create(base + path))
              .method(m, HttpRequest.BodyPublishers.ofString("{}")).build(),
              HttpResponse.BodyHandlers.ofString());
          assertEquals(405, r.statusCode(), m + " " + path);
          assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
        }
      }
      assertTrue(http.port() > 0);
    }
  }
}
