import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        int m = Integer.parseInt(tokens[1]);
        List<List<Integer>> after = new ArrayList<>();
        for (int i = 0; i <= n; i++) after.add(new ArrayList<>());
        int[] waiting = new int[n + 1]; // number of prerequisites not yet taken
        for (int i = 0; i < m; i++) {
            int a = Integer.parseInt(tokens[2 + 2 * i]);
            int b = Integer.parseInt(tokens[3 + 2 * i]);
            after.get(a).add(b);
            waiting[b]++;
        }
        // Kahn's algorithm, always taking the smallest available course.
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int c = 1; c <= n; c++) if (waiting[c] == 0) ready.add(c);
        StringJoiner order = new StringJoiner(" ");
        int taken = 0;
        while (!ready.isEmpty()) {
            int course = ready.poll();
            order.add(String.valueOf(course));
            taken++;
            for (int next : after.get(course)) if (--waiting[next] == 0) ready.add(next);
        }
        System.out.println(taken == n ? order.toString() : "IMPOSSIBLE");
    }
}
