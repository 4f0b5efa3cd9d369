import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: compute the mean, the population standard deviation and the median,
        // and print each on its own line (for example with f"{value:.9f}").
    }
}
