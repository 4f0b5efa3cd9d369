import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: print the smallest valid order of the courses 1..n (each "a b" means a
        // before b), or IMPOSSIBLE if the prerequisites form a cycle.
    }
}
