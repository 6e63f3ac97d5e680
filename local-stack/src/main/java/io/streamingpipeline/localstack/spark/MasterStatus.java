package io.streamingpipeline.localstack.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.localstack.process.EngineStartException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The master's status page: its state, the workers it considers alive, and the applications.
 *
 * @param masterState   ALIVE once the master is up
 * @param aliveWorkers  workers registered and ALIVE
 * @param cores         cores of the alive workers
 * @param coresUsed     cores given to running applications
 * @param activeApps    running (or waiting) applications
 * @param completedApps finished, killed or failed applications
 */
public record MasterStatus(
        String masterState,
        int aliveWorkers,
        int cores,
        int coresUsed,
        List<Application> activeApps,
        List<Application> completedApps) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static MasterStatus parse(JsonNode json) {
        return new MasterStatus(
                json.path("status").asText(""),
                json.path("aliveworkers").asInt(0),
                json.path("cores").asInt(0),
                json.path("coresused").asInt(0),
                apps(json.path("activeapps")),
                apps(json.path("completedapps")));
    }

    private static List<Application> apps(JsonNode array) {
        List<Application> apps = new ArrayList<>();
        array.forEach(a -> apps.add(new Application(
                a.path("id").asText(),
                a.path("name").asText(),
                a.path("state").asText(),
                a.path("cores").asInt(0))));
        return List.copyOf(apps);
    }

    /** The active application named {@code name}, if any. */
    public Optional<Application> activeApp(String name) {
        return activeApps.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** The names of the active applications. */
    public List<String> activeAppNames() {
        return activeApps.stream().map(Application::name).collect(Collectors.toList());
    }

    /** An application as the master lists it ({@code state}: WAITING, RUNNING, FINISHED, KILLED, FAILED...). */
    public record Application(String id, String name, String state, int cores) {}

    /** The status page {@code <webUiUrl>/json/}; empty when it does not answer 200 within {@code timeout}. */
    static Optional<MasterStatus> fetch(HttpClient http, String webUiUrl, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(webUiUrl + "/json/"))
                .timeout(timeout)
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(MasterStatus.parse(JSON.readTree(response.body())));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("Interrupted while asking the Spark master for its status", e);
        }
    }
}
