# Run after the driver is built (a POST_BUILD step): defines one ctest per
# scenario of one pair, from `run.sh --list`, in a file that ctest includes.
# Variables: RUN (run.sh), PAIR, DRIVER, FAKE, OURLIB, OUT, MAINLINE, LABELS
# (comma-separated), FILE (the file to write).
execute_process(COMMAND "${RUN}" --list "${PAIR}" "${DRIVER}"
	OUTPUT_VARIABLE names RESULT_VARIABLE status)
if(NOT status EQUAL 0)
	message(FATAL_ERROR "run.sh --list ${PAIR} failed (${status})")
endif()
string(REPLACE "\n" ";" names "${names}")
string(REPLACE "," ";" LABELS "${LABELS}")
set(text "")
foreach(name IN LISTS names)
	if(name STREQUAL "")
		continue()
	endif()
	set(test "conformance: ${PAIR}: ${name}")
	string(APPEND text "add_test([=[${test}]=] \"${RUN}\" \"${PAIR}\" \"${DRIVER}\" \"${FAKE}\" \"${OURLIB}\" \"${OUT}\" \"${MAINLINE}\" \"${name}\")\n")
	string(APPEND text "set_tests_properties([=[${test}]=] PROPERTIES LABELS \"${LABELS}\" TIMEOUT 120)\n")
endforeach()
file(WRITE "${FILE}" "${text}")
