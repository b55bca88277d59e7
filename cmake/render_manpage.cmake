# SPDX-License-Identifier: Apache-2.0
# cmake -DSCDOC=... -DGZIP=... -DINPUT=page.scd -DOUTPUT=page -P render_manpage.cmake
# Writes OUTPUT (roff) and OUTPUT.gz (gzip -9n: no name or time stamp, so the
# .deb is reproducible). scdoc reads standard input only.
foreach(var SCDOC GZIP INPUT OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "render_manpage.cmake: -D${var}= is required")
  endif()
endforeach()

execute_process(COMMAND ${SCDOC} INPUT_FILE ${INPUT} OUTPUT_FILE ${OUTPUT}.tmp
                ERROR_VARIABLE scdoc_errors RESULT_VARIABLE scdoc_result)
if(NOT scdoc_result EQUAL 0)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR "scdoc failed on ${INPUT}: ${scdoc_errors}")
endif()
file(RENAME ${OUTPUT}.tmp ${OUTPUT})

execute_process(COMMAND ${GZIP} -9 -n -c ${OUTPUT} OUTPUT_FILE ${OUTPUT}.gz.tmp
                RESULT_VARIABLE gzip_result)
if(NOT gzip_result EQUAL 0)
  file(REMOVE ${OUTPUT}.gz.tmp)
  message(FATAL_ERROR "gzip failed on ${OUTPUT}")
endif()
file(RENAME ${OUTPUT}.gz.tmp ${OUTPUT}.gz)
