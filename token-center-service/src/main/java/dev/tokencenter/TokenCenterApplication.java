package dev.tokencenter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TokenCenterApplication {

    public static void main(String[] args) {
        SpringApplication.run(TokenCenterApplication.class, args);
    }
}
